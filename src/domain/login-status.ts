/**
 * LoginHistory.Status is free text: "Success" or a failure reason ("Invalid Password",
 * "Failed: API security token required", …). It is not filterable in SOQL, so it is classified here.
 */

const MAX_LABEL_LENGTH = 80;

function normalize(status: string | null | undefined): string {
  return (status ?? '').replace(/\s+/g, ' ').trim();
}

/** Only "Success" (any case, surrounding spaces ignored) counts; anything else, empty included, is a failure. */
export function isSuccessStatus(status: string | null | undefined): boolean {
  return normalize(status).toLowerCase() === 'success';
}

/**
 * A short reason for a failed login, e.g. "Invalid Password" or "API security token required"
 * (the "Failed:" prefix adds nothing once the text sits under "failed logins").
 */
export function failureLabel(status: string | null | undefined): string {
  const text = normalize(status).replace(/^failed\s*:\s*/i, '');
  if (text === '') return 'unknown reason';
  return text.length > MAX_LABEL_LENGTH ? `${text.slice(0, MAX_LABEL_LENGTH - 1)}…` : text;
}
