import path from 'node:path';
import { DocumentError } from '../../errors';
import type { DocumentType } from '../types';

const BY_EXTENSION: Readonly<Record<string, DocumentType>> = {
  '.txt': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};
/** The file name endings an upload may have. */
export const DOCUMENT_EXTENSIONS = Object.keys(BY_EXTENSION);

/** What the bytes are, whatever the name says. */
type Detected = 'pdf' | 'html' | 'text' | 'binary';

const HTML_START = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes decoded as UTF-8 without a BOM, or undefined when they are not text (invalid UTF-8, or a NUL byte). */
export function decodeText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (text.includes('\0')) return undefined;
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The characters of a text's start that tell HTML from plain text. */
export const SNIFF_CHARS = 4096;

/** Whether the bytes are a PDF: its header may follow a little junk (the spec allows it within the first 1024 bytes). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-');
}

function detect(bytes: Buffer, start: string | undefined): Detected {
  if (looksLikePdf(bytes)) return 'pdf';
  if (start === undefined) return 'binary';
  return HTML_START.test(start.slice(0, SNIFF_CHARS)) ? 'html' : 'text';
}

/** Which types each name's type may hold: an .html file may be a fragment of plain text. */
const FITS: Readonly<Record<DocumentType, readonly Detected[]>> = {
  pdf: ['pdf'],
  html: ['html', 'text'],
  md: ['text'],
  txt: ['text'],
};

const DETECTED_NAMES: Readonly<Record<Detected, string>> = {
  pdf: 'a PDF',
  html: 'an HTML document',
  text: 'plain text',
  binary: 'binary data',
};

export interface SniffedDocument {
  type: DocumentType;
  /** The decoded text, for every type but PDF. */
  text: string | undefined;
}

/**
 * The type of an uploaded file, from its name's extension checked against its bytes (never the
 * name or the client's Content-Type alone). Throws `empty_document`, `unsupported_document_type`
 * or `mislabelled_document`.
 */
export function sniffDocument(name: string, bytes: Buffer): SniffedDocument {
  const text = looksLikePdf(bytes) ? undefined : decodeText(bytes);
  return { type: documentType(name, bytes, text), text };
}

/**
 * The same check, for a file decoded elsewhere (a slice at a time): `start` is its first
 * {@link SNIFF_CHARS} characters, or undefined when it is a PDF or not text.
 */
export function documentType(name: string, bytes: Buffer, start: string | undefined): DocumentType {
  if (bytes.length === 0) {
    throw new DocumentError(`${name} is empty. Upload a file with text in it.`, { status: 400, code: 'empty_document', file: name });
  }
  const extension = path.extname(name).toLowerCase();
  const named = BY_EXTENSION[extension];
  if (named === undefined) {
    throw new DocumentError(
      `${name} is not a supported type. Upload ${DOCUMENT_EXTENSIONS.join(', ')} files.`,
      { status: 415, code: 'unsupported_document_type', file: name },
    );
  }
  const detected = detect(bytes, start);
  if (detected === 'binary') {
    throw new DocumentError(
      `${name} is binary data, not ${extension === '.pdf' ? 'a PDF' : 'UTF-8 text'}. Upload ${DOCUMENT_EXTENSIONS.join(', ')} files.`,
      { status: 415, code: 'unsupported_document_type', file: name },
    );
  }
  if (!FITS[named].includes(detected)) {
    throw new DocumentError(
      `${name} is named ${extension} but holds ${DETECTED_NAMES[detected]}. Rename it to match what it is, or upload the right file.`,
      { status: 415, code: 'mislabelled_document', file: name, details: { detected: detected === 'text' ? 'txt' : detected } },
    );
  }
  return named;
}
