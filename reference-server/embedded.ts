// Settings of the embedded default target: `wsconform run` without --target starts the reference
// server in-process with these and hands the same values to the cases, so that every case that
// needs an input (a JWT secret, an allowed origin) can run.
export const EMBEDDED = {
  jwtSecret: 'wsconform-embedded-secret-please-change',
  originAllowed: 'https://app.example.com',
  /** short so that the E2 auth-timeout case finishes fast; the profile default is 10 s */
  authTimeoutMs: 1500,
  /** short so that the E2 expiry case finishes fast; the profile allows at most 30 s */
  jwtLeewaySec: 1,
} as const;
