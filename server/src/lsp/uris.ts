import { fileURLToPath, pathToFileURL } from 'node:url';

export const URI_SCHEME_FILE = 'file:';

/** The file system path of a `file:` URI; other schemes (untitled, git) have none. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith(URI_SCHEME_FILE)) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** URIs of the paths seen lately: every publication names its file in related locations. */
const uris = new Map<string, string>();

export function fileUri(path: string): string {
  let uri = uris.get(path);
  if (uri === undefined) {
    if (uris.size >= 1_000) uris.clear();
    uris.set(path, (uri = pathToFileURL(path).toString()));
  }
  return uri;
}
