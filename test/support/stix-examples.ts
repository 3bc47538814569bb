// One valid object per STIX 2.1 type, after the examples in the specification's own sections.
export type Example = Record<string, unknown>;

const IDENTITY = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
const T1 = '2016-04-06T20:03:48.000Z';
const T2 = '2016-04-06T20:07:09.000Z';
const sdo = (type: string, uuid: string, rest: Example): Example => ({
  type, spec_version: '2.1', id: `${type}--${uuid}`, created_by_ref: IDENTITY, created: T1, modified: T2, ...rest,
});
const sco = (type: string, uuid: string, rest: Example): Example => ({ type, spec_version: '2.1', id: `${type}--${uuid}`, ...rest });

export const SDO_EXAMPLES: Readonly<Record<string, Example>> = {
  'attack-pattern': sdo('attack-pattern', '0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', {
    name: 'Spear Phishing',
    external_references: [{ source_name: 'capec', external_id: 'CAPEC-163' }],
    kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' }],
  }),
  campaign: sdo('campaign', '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', {
    name: 'Green Group Attacks Against Finance', description: 'Campaign by Green Group against a series of targets in the financial services sector.',
    first_seen: '2016-04-06T20:03:48Z', last_seen: '2016-04-06T20:03:48.000001Z',
  }),
  'course-of-action': sdo('course-of-action', '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', {
    name: 'Add TCP port 80 Filter Rule to the existing Block UDP 1434 Filter',
    description: 'This is how to add a filter rule to block inbound access to TCP port 80 to the existing UDP 1434 filter ...',
  }),
  grouping: sdo('grouping', '84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3', {
    name: 'The Black Vine Cyberespionage Group', context: 'suspicious-activity',
    object_refs: ['indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2', 'campaign--83422c77-904c-4dc1-aff5-5c38f3a2c55c', 'x-black-vine--9d1f4f0f-4c02-4b37-9a1c-3a6b2e1e8b11'],
  }),
  identity: sdo('identity', 'e5f1b90a-d9b6-40ab-81a9-8a29df4b6b65', {
    name: 'ACME Widget, Inc.', identity_class: 'organization', sectors: ['technology', 'a-sector-of-our-own'],
  }),
  incident: sdo('incident', '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d', { name: 'Breach of the widget plant' }),
  indicator: sdo('indicator', '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', {
    indicator_types: ['malicious-activity'], name: 'Poison Ivy Malware', description: 'This file is part of Poison Ivy',
    pattern: "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
    pattern_type: 'stix', valid_from: '2016-01-01T00:00:00Z',
  }),
  infrastructure: sdo('infrastructure', '38c47d93-d984-4fd9-b87b-d69d0841628d', {
    name: 'Poison Ivy C2', infrastructure_types: ['command-and-control'],
  }),
  'intrusion-set': sdo('intrusion-set', '4e78f46f-a023-4e5f-bc24-71b3ca22ec29', {
    name: 'Bobcat Breakin', description: 'Incidents usually feature a shared TTP of a bobcat being released within the building containing network access, scaring users to leave their computers without locking them first. Still determining where the threat actors are getting the bobcats.',
    aliases: ['Zookeeper'], goals: ['acquisition-theft', 'harassment', 'damage'],
  }),
  location: sdo('location', 'a6e9345f-5a15-4c29-8bb3-7dcc5d168d64', { region: 'south-eastern-asia', latitude: 48.8566, longitude: 2.3522, precision: 1000 }),
  malware: sdo('malware', '0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', {
    name: 'Cryptolocker', description: '...', malware_types: ['ransomware'], is_family: false,
  }),
  'malware-analysis': sdo('malware-analysis', 'd25167b7-fed0-4068-9ccd-a73dd2c5b07c', {
    product: 'microsoft', result: 'malicious', analysis_sco_refs: ['file--fb0419a8-f09c-57f8-be64-71a80417591c'],
  }),
  note: sdo('note', '0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', {
    external_references: [{ source_name: 'job-tracker', external_id: 'job-id-1234' }], abstract: 'Tracking Team Note#1',
    content: 'This note indicates the various steps taken by the threat analyst team to investigate this specific campaign.',
    authors: ['John Doe'], object_refs: ['campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
  }),
  'observed-data': sdo('observed-data', 'b67d30ff-02ac-498a-92f9-32f845f448cf', {
    first_observed: '2015-12-21T19:00:00Z', last_observed: '2015-12-21T19:00:00Z', number_observed: 50,
    object_refs: ['ipv4-addr--efcd5e80-570d-4131-b213-62cb18eaa6a8', 'domain-name--ecb120bf-2694-4902-a737-62b74539a41b'],
  }),
  opinion: sdo('opinion', 'b01efc25-77b4-4003-b18b-f6e24b5cd9f7', {
    object_refs: ['relationship--16d2358f-3b0d-4c88-b047-0da2f7ed4471'], opinion: 'strongly-disagree',
    explanation: 'This doesn\'t seem like it is feasible.',
  }),
  report: sdo('report', '84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3', {
    name: 'The Black Vine Cyberespionage Group', report_types: ['campaign'], published: '2016-01-20T17:00:00.000Z',
    object_refs: ['indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2', 'campaign--83422c77-904c-4dc1-aff5-5c38f3a2c55c'],
  }),
  'threat-actor': sdo('threat-actor', '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', {
    threat_actor_types: ['crime-syndicate'], name: 'Evil Org', roles: ['director'], sophistication: 'advanced',
  }),
  tool: sdo('tool', '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', { tool_types: ['remote-access'], name: 'VNC' }),
  vulnerability: sdo('vulnerability', '0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', {
    name: 'CVE-2016-1234', external_references: [{ source_name: 'cve', external_id: 'CVE-2016-1234' }],
  }),
  relationship: sdo('relationship', '44298a74-ba52-4f0c-87a3-1824e67d7fad', {
    relationship_type: 'indicates', source_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    target_ref: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
  }),
  sighting: sdo('sighting', 'ee20065d-2555-424f-ad9e-0f8fd3f5b0a2', {
    first_seen: '2015-12-21T19:00:00Z', last_seen: '2015-12-21T19:00:00Z',
    sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    where_sighted_refs: ['identity--b67d30ff-02ac-498a-92f9-32f845f448ff'],
  }),
  'language-content': sdo('language-content', 'b86bd89f-98bb-4fa9-8cb2-9ad421da981d', {
    object_ref: 'campaign--12a111f0-b824-4baf-a224-83b80237a094', object_modified: '2017-02-08T21:31:22.007Z',
    contents: { de: { name: 'Bank Angriff 1', description: 'Weitere Informationen über Banküberfall' } },
  }),
  'extension-definition': sdo('extension-definition', 'd83fce45-ef58-4c6c-a3f4-1fbc32e98c6e', {
    name: 'Extension Foo Bar', description: 'This schema creates a new object type called my-favorite-sdo-1',
    schema: 'https://www.example.com/schema-my-favorite-sdo-1/v1/', version: '1.2.1', extension_types: ['new-sdo'],
  }),
};

export const META_EXAMPLES: Readonly<Record<string, Example>> = {
  'marking-definition (TLP 1.0)': {
    type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
    created: '2017-01-20T00:00:00.000Z', definition_type: 'tlp', name: 'TLP:WHITE', definition: { tlp: 'white' },
  },
  'marking-definition (statement)': {
    type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--62fd3f9b-15f3-4ebc-802c-91fce9536bcf',
    created: '2016-08-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'Copyright 2019, Example Corp' },
  },
  'marking-definition (TLP 2.0)': {
    type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
    created: '2022-10-01T00:00:00.000Z', name: 'TLP:GREEN',
    extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'green' } },
  },
};

export const SCO_EXAMPLES: Readonly<Record<string, Example>> = {
  artifact: sco('artifact', '6f437177-6e48-5cf8-9d9e-872a2bddd641', { mime_type: 'application/zip', payload_bin: 'ZX7HIBWPQA99NSUhEUgAAADI', encryption_algorithm: 'mime-type-indicated', decryption_key: 'My voice is my passport' }),
  'autonomous-system': sco('autonomous-system', 'f720c34b-98ae-597f-ade5-27ef5baa26c5', { number: 15139, name: 'Slime Industries', rir: 'ARIN' }),
  directory: sco('directory', '93c0a9b0-520d-545d-9094-1a08ddf46b05', { path: 'C:\\Windows\\System32' }),
  'domain-name': sco('domain-name', '3c10e93f-798e-5a26-a0c1-08156efab7f5', { value: 'example.com', resolves_to_refs: ['ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd'] }),
  'email-addr': sco('email-addr', '2d77a846-6264-5d51-b586-e43822ea1ea3', { value: 'john@example.com', display_name: 'John Doe' }),
  'email-message': sco('email-message', 'cf9b4b7f-14c8-5955-8065-020e0316b559', {
    is_multipart: true, received_lines: ['from mail.example.com ([198.51.100.3]) by smtp.gmail.com with ESMTPSA id q23sm23309939wme.17.2016.07.19.07.20.32 (version=TLS1_2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128); Tue, 19 Jul 2016 07:20:40 -0700 (PDT)'],
    content_type: 'multipart/mixed', date: '2016-06-19T14:20:40.000Z', from_ref: 'email-addr--89f52ea8-d6ef-51e9-8fce-6a29236436ed',
    to_refs: ['email-addr--d1b3bf0c-f02a-51a1-8102-11aba7959868'], subject: 'Check out this picture of a cat!',
    additional_header_fields: { 'Content-Disposition': 'inline', 'X-Mailer': 'Mutt/1.5.23' },
    body_multipart: [
      { content_type: 'text/plain; charset=utf-8', content_disposition: 'inline', body: 'Cats are funny!' },
      { content_type: 'image/png', content_disposition: 'attachment; filename="tabby.png"', body_raw_ref: 'artifact--4cce66f8-6eaa-53cb-85d5-3a85fca3a6c5' },
    ],
  }),
  file: sco('file', '5a27d487-c542-5f97-a131-a8866b477b46', {
    hashes: { 'SHA-256': 'ceafbfd424be2ca4a5f0402cae090dda2fb0526cf521b60b60077c0f622b285a' }, name: 'qwerty.dll', size: 25536,
    extensions: {
      'windows-pebinary-ext': { pe_type: 'dll', sections: [{ name: 'CODE', entropy: 0.061089 }] },
      'ntfs-ext': { alternate_data_streams: [{ name: 'second.stream', size: 25536 }] },
      'archive-ext': { contains_refs: ['file--019fde1c-94ab-5ebd-8d56-1d9d0f8c1ae3'] },
    },
  }),
  'ipv4-addr': sco('ipv4-addr', 'ff26c055-6336-5bc5-b98d-13d6226742dd', { value: '198.51.100.0/24' }),
  'ipv6-addr': sco('ipv6-addr', '1e61d36c-a16c-53b7-a80f-2a00161c96b1', { value: '2001:0db8:85a3:0000:0000:8a2e:0370:7334' }),
  'mac-addr': sco('mac-addr', '65cfcf98-8a6e-5a1b-8f61-379ac4f92d00', { value: 'd2:fb:49:24:37:18' }),
  mutex: sco('mutex', 'eba44954-d4e4-5d3b-814c-2b17dd8de300', { name: '__CLEANSWEEP__' }),
  'network-traffic': sco('network-traffic', '630d7bb1-0bbc-53a6-a6d4-f3c2d35c2734', {
    src_ref: 'ipv4-addr--4d22aae0-2bf9-5427-8819-e4f6abf20a53', dst_ref: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
    protocols: ['ipv4', 'tcp'], start: '2016-06-19T14:20:40Z', end: '2016-06-19T14:20:40.5Z', src_port: 3372, dst_port: 80,
    extensions: { 'tcp-ext': { src_flags_hex: '00000002' }, 'http-request-ext': { request_method: 'get', request_value: '/download.html', request_header: { 'Accept-Encoding': ['gzip,deflate'] } } },
  }),
  process: sco('process', 'f52a906a-0dfc-40bd-92f1-e7778ead38a9', {
    pid: 1221, command_line: './gedit-bin --new-window',
    extensions: { 'windows-process-ext': { aslr_enabled: true, integrity_level: 'medium' }, 'windows-service-ext': { service_name: 'sirvizio', start_type: 'SERVICE_AUTO_START', service_type: 'SERVICE_WIN32_OWN_PROCESS', service_status: 'SERVICE_RUNNING' } },
  }),
  software: sco('software', 'a1827f6d-ca53-5605-9e93-4316cd22a00a', { name: 'Word', cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*', version: '2002', vendor: 'Microsoft' }),
  url: sco('url', 'c1477287-23ac-5971-a010-5c287877fa60', { value: 'https://example.com/research/index.html' }),
  'user-account': sco('user-account', '0d5b424b-93b8-5cd8-ac36-306e1789d63c', {
    user_id: '1001', account_login: 'jdoe', account_type: 'unix', display_name: 'John Doe', is_privileged: false,
    extensions: { 'unix-account-ext': { gid: 1001, groups: ['wheel'], home_dir: '/home/jdoe', shell: '/bin/bash' } },
  }),
  'windows-registry-key': sco('windows-registry-key', '2ba37ae7-2745-5082-9dfd-9486dad41016', {
    key: 'hkey_local_machine\\system\\bar\\foo', values: [{ name: 'Foo', data: 'qwerty', data_type: 'REG_SZ' }],
  }),
  'x509-certificate': sco('x509-certificate', '463d7b2a-8516-5a50-a3d7-6f801465d5de', {
    issuer: 'C=ZA, ST=Western Cape, L=Cape Town, O=Thawte Consulting cc, OU=Certification Services Division, CN=Thawte Server CA/emailAddress=server-certs@thawte.com',
    validity_not_before: '2016-03-12T12:00:00Z', validity_not_after: '2016-08-21T12:00:00Z',
    subject: 'C=US, ST=Maryland, L=Pasadena, O=Brent Baccala, OU=FreeSoft, CN=www.freesoft.org/emailAddress=baccala@freesoft.org',
    serial_number: '36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06',
  }),
};

export const ALL_EXAMPLES: Readonly<Record<string, Example>> = { ...SDO_EXAMPLES, ...META_EXAMPLES, ...SCO_EXAMPLES };
