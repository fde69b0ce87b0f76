/**
 * Making settings fit to print: a URL's user and password never reach a log line or an error.
 */

/** A URL fit to print: user and password, if the URL carries them, masked. */
export const withoutUserinfo = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.username === "" && parsed.password === "") return url
    parsed.username = "***"
    parsed.password = ""
    return parsed.toString()
  } catch {
    return "(not a URL)"
  }
}
