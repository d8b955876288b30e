/**
 * Data arriving at `<pc-network>`: files dropped on it ({@link DataDrop}), read by
 * `components/data`'s `readDataFile` (CSV, JSON, a zip of class folders of images, or a dropped
 * folder of them), and the file the `data` attribute names ({@link readDataBytes}: CSV or JSON,
 * by the URL's extension, else by its first character).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readLimits } from '../../src/data/dataset';
import { type Dataset, parseCsv, parseJsonData } from '../../src/index';
import { filesFromDrop, type PathedFile, readDataFile } from '../data/read-data-file';

/** The file name at the end of `url` (its path's last part), for messages and metadata. */
export function urlName(url: string): string {
  try {
    const path = new URL(url, location.href).pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
  } catch {
    return url;
  }
}

/**
 * Reads fetched bytes as CSV or JSON: by the URL's extension (`.json`, else `.csv`), else JSON
 * when the text starts with `[` or `{`, else CSV. The size is checked against the readers'
 * budget before the text is decoded; errors are the readers' DataErrors, naming the file.
 */
export function readDataBytes(bytes: Uint8Array, url: string): Dataset {
  const file = urlName(url);
  const options = { file, size: bytes.length };
  readLimits(options); // the size, before the text is decoded
  return parseText(new TextDecoder().decode(bytes), file, options);
}

function parseText(text: string, file: string, options: { file: string; size: number }): Dataset {
  const ext = /\.(csv|json)$/i.exec(file)?.[1]?.toLowerCase();
  const json = ext ? ext === 'json' : /^\s*[[{]/.test(text.slice(0, 1024));
  return json ? parseJsonData(text, options) : parseCsv(text, options);
}

/** Reads the files of a drop (or a File given to `loadData`) with `readDataFile`. */
export function readDataFiles(files: readonly (File | PathedFile)[]): Promise<Dataset> {
  return readDataFile(files);
}

/**
 * Takes files dropped on the host: `dragover` is accepted while files are dragged (so the drop
 * lands here, not as the browser's navigation), and a `drop` hands its files, with their paths
 * in a dropped folder, to `dropped`. The listeners come and go with the host's connection.
 */
export class DataDrop implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly dropped: (files: PathedFile[]) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('dragover', this.onDragOver);
    this.host.addEventListener('drop', this.onDrop);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragover', this.onDragOver);
    this.host.removeEventListener('drop', this.onDrop);
  }

  private readonly onDragOver = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };

  private readonly onDrop = (e: DragEvent): void => {
    const transfer = e.dataTransfer;
    if (!transfer || transfer.files.length === 0) return;
    e.preventDefault();
    // The items are readable only during the event; the walk of a folder may end later.
    void filesFromDrop(transfer).then(this.dropped, () =>
      this.dropped(Array.from(transfer.files, (file) => ({ file, path: file.name }))),
    );
  };
}
