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

export function fileUri(path: string): string {
  return pathToFileURL(path).toString();
}
