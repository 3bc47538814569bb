import { isIPv4, isIPv6 } from 'node:net';

// base64 of RFC 4648 section 4, padded. Non-zero pad bits are tolerated: RFC 4648 3.5 lets decoders accept them.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

export function isBase64(value: string): boolean {
  return BASE64_RE.test(value);
}

/** STIX "hex": an even number of hexadecimal digits (whole octets). */
export function isHex(value: string): boolean {
  return HEX_RE.test(value);
}

/** ipv4-addr value: one address, optionally in CIDR notation. */
export function isIpv4OrCidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || address === undefined || !isIPv4(address)) return false;
  return prefix === undefined || (/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32);
}

/** ipv6-addr value: one address, optionally in CIDR notation. */
export function isIpv6OrCidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || address === undefined || !isIPv6(address)) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
}
