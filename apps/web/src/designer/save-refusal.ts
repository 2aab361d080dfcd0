import type { FieldError, FlowDocument, ProcessorValidationDto } from '@sluice/contracts';

// `processors.3.properties.Search Value` (property names may hold dots), or `processors.3.autoTerminated`.
const PROCESSOR_FIELD = /(?:^|\.)processors\.(\d+)(?:\.properties\.(.*))?/;

/**
 * The reasons the server gave for refusing a save, as issues of the processors they name: the designer shows each
 * beside its field and on its node, as it shows the issues of a saved version. Only the server runs a processor's
 * cross-property checks (Custom Text with Binary data, an unsafe regular expression), so this is where they appear.
 */
export function refusalIssues(errors: readonly FieldError[] | undefined, sent: FlowDocument): ProcessorValidationDto[] {
  const out: ProcessorValidationDto[] = [];
  for (const e of errors ?? []) {
    const m = PROCESSOR_FIELD.exec(e.field);
    const p = sent.processors.find((x) => x.id === e.processorId) ?? (m ? sent.processors[Number(m[1])] : undefined);
    if (!p) continue;
    // The server names the processor for the banner; beside the field that is noise.
    const message = e.message.startsWith(`${p.name}: `) ? e.message.slice(p.name.length + 2) : e.message;
    out.push({
      processorId: p.id,
      property: m?.[2] || null,
      message,
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.column !== undefined ? { column: e.column } : {}),
    });
  }
  return out;
}
