// The preview is all of the key a reader ever sees: enough to tell two keys
// apart, never enough to use one.

export function previewOf(secretString: string | undefined): string {
  const apiKey = apiKeyIn(secretString)
  if (apiKey.length < 10) return '***'
  return `${apiKey.slice(0, 4)}...${apiKey.slice(-4)}`
}

function apiKeyIn(secretString: string | undefined): string {
  try {
    const parsed = JSON.parse(secretString ?? '')
    return typeof parsed?.api_key === 'string' ? parsed.api_key : ''
  } catch {
    return ''
  }
}
