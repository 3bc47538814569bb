import type { CollectionRights } from '../../server/policy/access-policy';

/**
 * What each tool partners run needs to poll (or push to) one collection of this server, worked out
 * from the tool's own source or documentation as cited in docs/integrations/<tool>.md. Pure: the
 * `admin connect` command gathers the facts and prints the sheet.
 */

export const INTEGRATION_TOOLS = ['opencti', 'misp', 'sentinel', 'elastic', 'splunk', 'qradar'] as const;
export type IntegrationTool = (typeof INTEGRATION_TOOLS)[number];

export function isIntegrationTool(name: string): name is IntegrationTool {
  return (INTEGRATION_TOOLS as readonly string[]).includes(name);
}

export interface ConnectionFacts {
  /** Scheme, host and port, no trailing slash (settings PUBLIC_BASE_URL or --base-url). */
  baseUrl: string;
  apiRoot: { path: string; title: string; maxContentLength: number };
  collection: { id: string; alias?: string; title: string };
  username: string;
  organisation: string;
  rights: CollectionRights;
  /** How many other collections this user sees in the same API root under the same title. */
  sameTitleElsewhere: number;
}

export interface SheetSection {
  heading: string;
  fields: Array<[label: string, value: string]>;
}

export interface ConnectionSheet {
  product: string;
  guide: string;
  auth: string[];
  sections: SheetSection[];
  smokeTest: string[];
  warnings: string[];
}

/** MISP can push as well as pull; every other tool here only polls, so it needs read. */
export function canUse(tool: IntegrationTool, rights: CollectionRights): boolean {
  return tool === 'misp' ? rights.canRead || rights.canWrite : rights.canRead;
}

const TAXII_ACCEPT = 'application/taxii+json;version=2.1';

export interface TaxiiUrls {
  discovery: string;
  apiRoot: string;
  collection: string;
  objects: string;
}

export function taxiiUrls(facts: Pick<ConnectionFacts, 'baseUrl' | 'apiRoot' | 'collection'>): TaxiiUrls {
  const apiRoot = `${facts.baseUrl}/${facts.apiRoot.path}/`;
  const collection = `${apiRoot}collections/${facts.collection.id}/`;
  return { discovery: `${facts.baseUrl}/taxii2/`, apiRoot, collection, objects: `${collection}objects/` };
}

function tokenCommand(facts: ConnectionFacts, tool: IntegrationTool): string {
  return `TOKEN=$(npm run -s admin -- token create ${facts.username} --expires 90d --label ${tool})`;
}

function basicCurl(facts: ConnectionFacts, url: string): string {
  // curl asks for the password when -u carries none, so it stays out of the shell history.
  return `curl -sS -u '${facts.username}' -H 'Accept: ${TAXII_ACCEPT}' '${url}'`;
}

function plainHttpWarning(baseUrl: string): string[] {
  const url = new URL(baseUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:') return [];
  return [
    loopback
      ? `${baseUrl} is this machine's loopback address: a tool on another host cannot reach it. Set PUBLIC_BASE_URL (or --base-url) to the address partners use.`
      : `${baseUrl} is plain http: passwords and tokens cross the network readable. Serve https (TLS_CERT/TLS_KEY or a proxy).`,
  ];
}

function openCti(facts: ConnectionFacts, urls: TaxiiUrls): ConnectionSheet {
  // The connector finds the root by the last segment of its URL and the collection by exact title
  // (external-import/taxii2/src/connector/client_taxii.py), from a value split once on '.'.
  const rootSegment = facts.apiRoot.path.split('/').pop() ?? facts.apiRoot.path;
  const warnings: string[] = [];
  if (facts.collection.title.includes('.') || rootSegment.includes('.')) {
    warnings.push(`The title "${facts.collection.title}" or root "${rootSegment}" holds a '.', and the connector splits TAXII2_COLLECTIONS entries on '.': rename the collection's title before connecting OpenCTI.`);
  }
  if (facts.collection.title.includes(',')) {
    warnings.push(`The title "${facts.collection.title}" holds a ',', which separates TAXII2_COLLECTIONS entries: rename the collection's title before connecting OpenCTI.`);
  }
  if (facts.sameTitleElsewhere > 0) {
    warnings.push(`${facts.username} sees ${facts.sameTitleElsewhere} other collection(s) titled "${facts.collection.title}" in ${facts.apiRoot.path}: OpenCTI polls the first one listed. Give the collections distinct titles.`);
  }
  return {
    product: 'OpenCTI: TAXII2 external-import connector',
    guide: 'docs/integrations/opencti.md',
    auth: [
      'An API token, which the connector sends as "Authorization: Token <token>" (TAXII2_USE_TOKEN).',
      `Create it first: ${tokenCommand(facts, 'opencti')}`,
    ],
    sections: [
      {
        heading: 'Connector environment (docker-compose.yml or config.yml)',
        fields: [
          ['TAXII2_DISCOVERY_URL', urls.discovery],
          ['TAXII2_V21', 'true'],
          ['TAXII2_USE_TOKEN', 'true'],
          ['TAXII2_TOKEN', 'the token printed by "token create"'],
          ['TAXII2_COLLECTIONS', `${rootSegment}.${facts.collection.title}`],
          ['TAXII2_INITIAL_HISTORY', '24'],
          ['TAXII2_VERIFY_SSL', 'true'],
        ],
      },
    ],
    smokeTest: [
      `curl -sS -H "Authorization: Token $TOKEN" -H 'Accept: ${TAXII_ACCEPT}' '${urls.apiRoot}collections/'`,
      `# lists "title": "${facts.collection.title}" with "can_read": true`,
    ],
    warnings,
  };
}

function misp(facts: ConnectionFacts, urls: TaxiiUrls): ConnectionSheet {
  const sections: SheetSection[] = [];
  if (facts.rights.canWrite) {
    // app/Model/TaxiiServer.php hands these four values to app/files/scripts/taxii/taxii_push.py,
    // which builds <baseurl>/<api_root>/collections/<collection> and cuts envelopes under the root's max_content_length.
    sections.push({
      heading: 'Push: Sync Actions > TAXII servers > Add (taxii_push.py)',
      fields: [
        ['Base URL', facts.baseUrl],
        ['API root', facts.apiRoot.path],
        ['Collection', facts.collection.id],
        ['API key', `the output of: printf '%s:%s' '${facts.username}' "$PASSWORD" | base64 -w0`],
      ],
    });
  }
  if (facts.rights.canRead) {
    // misp-modules import_mod/taxii21.py opens taxii2client.Collection(url, user, password).
    sections.push({
      heading: 'Pull: misp-modules import "TAXII 2.1 Import"',
      fields: [
        ['url', urls.collection],
        ['username', facts.username],
        ['password', `the password of ${facts.username}`],
      ],
    });
  }
  return {
    product: 'MISP: TAXII server push (taxii_push.py) and the misp-modules TAXII 2.1 import',
    guide: 'docs/integrations/misp.md',
    auth: [
      'HTTP Basic with a username and password: MISP sends no token schemes. The password must not contain ":",',
      'which taxii_push.py splits the decoded API key on.',
    ],
    sections,
    smokeTest: [
      `python3 -c 'import getpass; from taxii2client.v21 import Collection; c = Collection("${urls.collection}", user="${facts.username}", password=getpass.getpass()); print(c.id, c.title, c.can_read, c.can_write)'`,
      `# prints ${facts.collection.id} ${facts.collection.title} ${pythonBool(facts.rights.canRead)} ${pythonBool(facts.rights.canWrite)}`,
    ],
    warnings: [],
  };
}

function pythonBool(value: boolean): string {
  return value ? 'True' : 'False';
}

function sentinel(facts: ConnectionFacts, urls: TaxiiUrls): ConnectionSheet {
  return {
    product: 'Microsoft Sentinel: Threat Intelligence - TAXII data connector',
    guide: 'docs/integrations/sentinel.md',
    auth: ['HTTP Basic: the connector takes a username and a password, no token.'],
    sections: [
      {
        heading: 'Data connectors > Threat Intelligence - TAXII > Open connector page',
        fields: [
          ['Friendly name', facts.collection.title],
          ['API root URL', urls.apiRoot],
          ['Collection ID', facts.collection.id],
          ['Username', facts.username],
          ['Password', `the password of ${facts.username}`],
          ['Import indicators', 'At most one day old (or All available for a first full load)'],
          ['Polling frequency', 'Once an hour'],
        ],
      },
    ],
    smokeTest: [basicCurl(facts, urls.collection), `# answers "id": "${facts.collection.id}" with "can_read": true`],
    warnings: [],
  };
}

function elastic(facts: ConnectionFacts, urls: TaxiiUrls): ConnectionSheet {
  return {
    product: 'Elastic: Custom Threat Intelligence (ti_custom), CEL input in TAXII 2.1 mode',
    guide: 'docs/integrations/elastic.md',
    auth: [
      'An API token in the "API Key" field, which the integration sends as "Authorization: Bearer <token>".',
      `Create it first: ${tokenCommand(facts, 'elastic')}`,
    ],
    sections: [
      {
        heading: 'Integrations > Custom Threat Intelligence > Collects threat intelligence IOCs',
        fields: [
          ['URL API endpoint', urls.objects],
          ['Enable TAXII 2.1', 'on'],
          ['API Key', 'the token printed by "token create"'],
          ['Accept header (where shown)', TAXII_ACCEPT],
          ['Initial Interval', '24h (without it every poll starts from the oldest object)'],
          ['Interval', '5m'],
        ],
      },
    ],
    smokeTest: [
      `curl -sS -D - -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Accept: ${TAXII_ACCEPT}' '${urls.objects}?limit=1'`,
      '# 200, and X-TAXII-Date-Added-Last once the collection holds an object',
    ],
    warnings: [],
  };
}

function splunk(facts: ConnectionFacts, urls: TaxiiUrls): ConnectionSheet {
  return {
    product: 'Splunk Enterprise Security 8.2 or newer: threat intelligence source of type TAXII 2',
    guide: 'docs/integrations/splunk.md',
    auth: ['HTTP Basic: store the username and password in ES credential management and name that credential in the source.'],
    sections: [
      {
        heading: 'Configure > Data Enrichment > Threat Intelligence Management',
        fields: [
          ['Discovery URL', urls.discovery],
          ['API root URL', urls.apiRoot],
          ['Collection ID', facts.collection.id],
          ['Collection title', facts.collection.title],
          ['Username', facts.username],
          ['Password', `the password of ${facts.username} (in credential management)`],
        ],
      },
    ],
    smokeTest: [basicCurl(facts, urls.collection), `# answers "id": "${facts.collection.id}" with "can_read": true`],
    warnings: [],
  };
}

function qradar(facts: ConnectionFacts, urls: TaxiiUrls): ConnectionSheet {
  return {
    product: 'IBM QRadar: Threat Intelligence app, TAXII feed',
    guide: 'docs/integrations/qradar.md',
    auth: ['HTTP Basic: the app takes a username and a password for the TAXII server.'],
    sections: [
      {
        heading: 'Threat Intelligence > Add Threat Feed > TAXII',
        fields: [
          ['Discovery URL', urls.discovery],
          ['TAXII version', '2.1'],
          ['Username', facts.username],
          ['Password', `the password of ${facts.username}`],
          ['Collection (after Discover)', `${facts.collection.title} (id ${facts.collection.id}, API root ${urls.apiRoot})`],
        ],
      },
    ],
    smokeTest: [basicCurl(facts, urls.discovery), `# lists "api_roots" with "/${facts.apiRoot.path}/"`],
    warnings: [],
  };
}

const PROFILES: Record<IntegrationTool, (facts: ConnectionFacts, urls: TaxiiUrls) => ConnectionSheet> = {
  opencti: openCti,
  misp,
  sentinel,
  elastic,
  splunk,
  qradar,
};

export function connectionSheet(tool: IntegrationTool, facts: ConnectionFacts): ConnectionSheet {
  const sheet = PROFILES[tool](facts, taxiiUrls(facts));
  return { ...sheet, warnings: [...plainHttpWarning(facts.baseUrl), ...sheet.warnings] };
}
