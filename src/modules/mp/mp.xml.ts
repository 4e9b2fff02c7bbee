import parser from 'fast-xml-parser';

/**
 * WeChat's XML is one flat `<xml>` element of named fields (text mostly in CDATA). fast-xml-parser
 * reads it; values stay strings (MsgId is a 64-bit number that a JS number would round).
 */
export function parseXml(text: string): Record<string, string> | undefined {
  if (parser.validate(text) !== true) return undefined;
  const doc = parser.parse(text, { parseNodeValue: false, ignoreAttributes: true, trimValues: true }) as { xml?: unknown };
  if (!doc.xml || typeof doc.xml !== 'object') return undefined;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.xml as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    // One level of nesting (e.g. wxa_media_check's <result><suggest>) as `result.suggest`.
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ik, iv] of Object.entries(v)) if (typeof iv === 'string' || typeof iv === 'number') fields[`${k}.${ik}`] = String(iv);
    }
  }
  return fields;
}

const cdata = (v: string) => `<![CDATA[${v.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** `<xml>` of fields in order: strings in CDATA, numbers bare (as WeChat writes CreateTime). */
export function buildXml(fields: Record<string, string | number | Record<string, string>>): string {
  const body = Object.entries(fields)
    .map(
      ([k, v]) =>
        `<${k}>${
          typeof v === 'number'
            ? v
            : typeof v === 'string'
              ? cdata(v)
              : Object.entries(v)
                  .map(([ik, iv]) => `<${ik}>${cdata(iv)}</${ik}>`)
                  .join('')
        }</${k}>`,
    )
    .join('');
  return `<xml>${body}</xml>`;
}
