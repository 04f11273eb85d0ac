// Keeps secrets out of error messages and logs. Connection strings are replaced whole (host names and
// database names are operational detail too, and a URI can carry a password in places a pattern would
// miss); any other URL loses its user-info; explicitly known secret values are masked wherever they occur.

const REDACTED = '<redacted>';

// mongodb://…, mongodb+srv://…, postgres://… — everything up to whitespace or a quote.
const CONNECTION_STRING = /\b(mongodb(?:\+srv)?|postgres(?:ql)?|mysql|redis|amqps?):\/\/[^\s"'<>]+/gi;
// Any other scheme://user:password@host → scheme://<redacted>@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi;

/**
 * Returns `text` with connection strings, URL credentials and every string of `secrets` (at least 4
 * characters long, so that trivial values do not shred the message) replaced by `<redacted>`.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(CONNECTION_STRING, (_match, scheme: string) => `${scheme}://${REDACTED}`);
  return out.replace(URL_USERINFO, (_match, prefix: string) => `${prefix}${REDACTED}@`);
}

/** The message of any thrown value, redacted. */
export function redactError(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redact(message, secrets);
}
