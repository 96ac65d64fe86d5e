/**
 * IPv4 and IPv6 addresses as integers, for the `cidr` operator of event patterns.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-ip-matching
 */

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface CidrBlock {
  family: 4 | 6;
  /** First and last address of the block (inclusive). */
  low: bigint;
  high: bigint;
}

/** Parses a dotted-quad IPv4 or a (possibly `::`-compressed) IPv6 address; undefined when invalid. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** Parses `address/bits`; the address need not be the first of its block (`10.0.0.77/24`). */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const bits = Number(bitsText);
  if (bits > width) return undefined;
  const hostBits = BigInt(width - bits);
  const hostMask = (1n << hostBits) - 1n;
  const low = ip.value & ~hostMask & ((1n << BigInt(width)) - 1n);
  return { family: ip.family, low, high: low | hostMask };
}

/** True when `text` is an address of the block's family inside the block. */
export function inCidr(block: CidrBlock, text: string): boolean {
  const ip = parseIp(text);
  return ip !== undefined && ip.family === block.family && ip.value >= block.low && ip.value <= block.high;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Hex groups of one side of `::`; a trailing dotted quad counts as two groups. */
function groups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}
