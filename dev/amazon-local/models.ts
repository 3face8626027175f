// The SP-API models in dev/contracts/amazon, turned into validators: each operation's parameters
// (path, query, body) and each response by status code. The stand-in checks every request and every
// response it sends against these, so it cannot accept what Amazon's model rejects, nor answer in a
// shape the model does not describe.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const here = path.dirname(new URL(import.meta.url).pathname);
const contracts = path.resolve(here, "../contracts/amazon");

export const MODEL_FILES = {
  orders: "orders_2026-01-01.json",
  ordersV0: "ordersV0.json",
  listings: "listingsItems_2021-08-01.json",
  tokens: "tokens_2021-03-01.json",
} as const;
export type ModelName = keyof typeof MODEL_FILES;

type Json = Record<string, unknown>;
export type Param = {
  name: string;
  in: "query" | "path" | "body" | "header";
  required?: boolean;
  type?: string;
  items?: Json;
  schema?: Json;
  collectionFormat?: string;
  [k: string]: unknown;
};
export type SandboxCase = { request: { parameters: Record<string, { value?: unknown }> }; response?: unknown };
export type Operation = {
  model: ModelName;
  operationId: string;
  method: string;
  path: string;
  pattern: RegExp;
  pathParams: string[];
  params: Param[];
  /** The model's default usage plan: requests per second and burst. */
  rate: number;
  burst: number;
  responses: Map<number, { schema?: ValidateFunction; headers: string[]; sandbox: SandboxCase[] }>;
  validateQuery: ValidateFunction;
  validateBody?: ValidateFunction;
};

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// Swagger's numeric formats carry no constraint for a JSON validator.
for (const f of ["int32", "int64", "double", "float", "decimal", "byte", "binary", "password"]) ajv.addFormat(f, true);

export function loadModel(name: ModelName): Json {
  return JSON.parse(readFileSync(path.join(contracts, MODEL_FILES[name]), "utf8")) as Json;
}

/** Swagger 2 parameter → a JSON Schema for its (already coerced) value. */
function paramSchema(p: Param): Json {
  if (p.in === "body") return p.schema ?? {};
  const { name: _n, in: _i, required: _r, description: _d, collectionFormat: _c, ...rest } = p;
  return rest;
}

function buildOperations(): Operation[] {
  const ops: Operation[] = [];
  for (const model of Object.keys(MODEL_FILES) as ModelName[]) {
    const doc = loadModel(model);
    const id = `amazon-${model}`;
    ajv.addSchema({ $id: id, definitions: doc.definitions as Json });
    const rewrite = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema ?? {}).replaceAll('"#/definitions/', `"${id}#/definitions/`));
    for (const [p, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      const shared = (methods.parameters as Param[] | undefined) ?? [];
      for (const [method, op] of Object.entries(methods)) {
        if (method === "parameters") continue;
        const params = [...shared, ...((op.parameters as Param[]) ?? [])].map((x) =>
          "$ref" in x ? (doc.parameters as Record<string, Param>)[String(x.$ref).split("/").pop()!]! : x,
        );
        const pathParams = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        const rate = String(op.description ?? "").match(/\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|/);
        const nonBody = params.filter((x) => x.in === "query" || x.in === "path");
        const body = params.find((x) => x.in === "body");
        const responses = new Map<number, { schema?: ValidateFunction; headers: string[]; sandbox: SandboxCase[] }>();
        for (const [code, r] of Object.entries(op.responses as Record<string, Json>)) {
          const schema = r.schema ? ajv.compile(rewrite(r.schema) as Json) : undefined;
          const sandbox = ((r["x-amzn-api-sandbox"] as { static?: SandboxCase[] } | undefined)?.static ?? []) as SandboxCase[];
          responses.set(Number(code), { schema, headers: Object.keys((r.headers as Json) ?? {}), sandbox });
        }
        ops.push({
          model,
          operationId: String(op.operationId),
          method: method.toUpperCase(),
          path: p,
          pattern: new RegExp(`^${p.replace(/\{\w+\}/g, "([^/]+)")}$`),
          pathParams,
          params,
          rate: rate ? Number(rate[1]) : 1,
          burst: rate ? Number(rate[2]) : 1,
          responses,
          validateQuery: ajv.compile({
            type: "object",
            properties: Object.fromEntries(nonBody.map((x) => [x.name, rewrite(paramSchema(x))])),
            required: nonBody.filter((x) => x.required).map((x) => x.name),
          }),
          validateBody: body ? ajv.compile(rewrite(paramSchema(body)) as Json) : undefined,
        });
      }
    }
  }
  return ops;
}

let cached: Operation[] | undefined;
export function operations(): Operation[] {
  cached ??= buildOperations();
  return cached;
}

export function findOperation(method: string, pathname: string): { op: Operation; pathValues: Record<string, string> } | null {
  for (const op of operations()) {
    if (op.method !== method) continue;
    const m = op.pattern.exec(pathname);
    if (!m) continue;
    return { op, pathValues: Object.fromEntries(op.pathParams.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return null;
}

/**
 * Query strings as Amazon reads them: arrays are comma-separated (Swagger's csv default), integers
 * are numbers when they look like one (anything else stays a string and fails validation).
 */
export function coerceParams(op: Operation, query: URLSearchParams, pathValues: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...pathValues };
  for (const p of op.params) {
    if (p.in !== "query") continue;
    const all = query.getAll(p.name);
    if (all.length === 0) continue;
    if (p.type === "array") {
      const values = all.flatMap((v) => v.split(","));
      const itemType = (p.items as { type?: string } | undefined)?.type;
      out[p.name] = itemType === "integer" ? values.map((v) => (/^-?\d+$/.test(v) ? Number(v) : v)) : values;
    } else if (p.type === "integer" || p.type === "number") {
      const v = all[0]!;
      out[p.name] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    } else if (p.type === "boolean") {
      out[p.name] = all[0] === "true" ? true : all[0] === "false" ? false : all[0];
    } else out[p.name] = all[0];
  }
  return out;
}

export function describeErrors(v: ValidateFunction): string {
  return (v.errors ?? []).map((e) => `${e.instancePath || "request"} ${e.message ?? "is invalid"}`).join("; ");
}
