import { randomUUID } from 'node:crypto';

/** Small valid STIX 2.1 objects built fresh for each test, so tests never depend on one another's data. */
export function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2024-03-01T10:00:00.000Z',
    modified: '2024-03-01T10:00:00.000Z',
    name: 'Phishing domain',
    pattern: "[domain-name:value = 'login-secure-bank.example']",
    pattern_type: 'stix',
    valid_from: '2024-03-01T10:00:00Z',
    ...overrides,
  };
}

export function malware(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'malware',
    spec_version: '2.1',
    id: `malware--${randomUUID()}`,
    created: '2024-02-01T08:00:00.000Z',
    modified: '2024-02-01T08:00:00.000Z',
    name: 'Emotet',
    is_family: true,
    ...overrides,
  };
}

export function ipv4(value: string): Record<string, unknown> {
  return { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value };
}
