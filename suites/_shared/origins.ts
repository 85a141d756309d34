// C2 look-alike origins built from the allowed one: each differs from it as an origin (RFC 6454
// §4: scheme, host and port must all match) yet fools a sloppy string comparison.
export interface LookAlike {
  origin: string;
  /** the comparison it fools */
  fools: string;
}

/** `<allowed>.evil.test`: fools prefix matching (startsWith). */
export function suffixTrick(allowed: string): string {
  return `${allowed.replace(/\/+$/, '')}.evil.test`;
}

/** Userinfo, port, subdomain, glued-prefix and scheme look-alikes of an allowed origin. */
export function lookAlikes(allowed: string): LookAlike[] {
  const url = new URL(allowed);
  const host = url.host; // host[:port]
  const otherScheme = url.protocol === 'https:' ? 'http:' : 'https:';
  const otherPort = url.port === '' ? `${host}:1` : `${url.hostname}:${Number(url.port) === 1 ? 2 : 1}`;
  return [
    { origin: `${url.protocol}//${host}@evil.test`, fools: 'prefix matching (userinfo trick)' },
    { origin: `${url.protocol}//${otherPort}`, fools: 'prefix matching (another port)' },
    { origin: `${url.protocol}//evil.${host}`, fools: 'suffix matching on the host (subdomain)' },
    { origin: `${url.protocol}//evil${host}`, fools: 'suffix matching on the host (glued prefix)' },
    { origin: `${otherScheme}//${host}`, fools: 'host-only matching (another scheme)' },
  ];
}
