// multipart/form-data as storage-js sends a Blob: the file part has an EMPTY field name
// (`body.append('', blob)`), which `Request.formData()` drops — so the stand-in parses the parts
// itself, binary-safe.

export type Part = { name: string; filename: string | null; type: string | null; data: Uint8Array };

export function parseMultipart(body: Uint8Array, contentType: string): Part[] | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return null;
  const delimiter = new TextEncoder().encode(`--${boundary[1] ?? boundary[2].trim()}`);
  const parts: Part[] = [];
  let start = indexOf(body, delimiter, 0);
  while (start !== -1) {
    const headerStart = start + delimiter.length + 2; // after "--boundary\r\n"
    if (body[start + delimiter.length] === 0x2d) break; // "--boundary--": the end
    const next = indexOf(body, delimiter, headerStart);
    if (next === -1) break;
    const headerEnd = indexOf(body, CRLF2, headerStart);
    if (headerEnd === -1 || headerEnd > next) return null;
    const headers = new TextDecoder().decode(body.subarray(headerStart, headerEnd));
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? "",
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null,
      type: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? null,
      data: body.slice(headerEnd + CRLF2.length, next - 2), // the part ends with "\r\n"
    });
    start = next;
  }
  return parts;
}

const CRLF2 = new Uint8Array([13, 10, 13, 10]);

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  for (let i = haystack.indexOf(first, from); i !== -1; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.length > haystack.length) return -1;
    let match = true;
    for (let j = 1; j < needle.length && match; j++) match = haystack[i + j] === needle[j];
    if (match) return i;
  }
  return -1;
}
