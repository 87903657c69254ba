// A Deck events consumer in TypeScript whose types come from the OpenAPI document: openapi-typescript
// generates them from `openapi.yaml` (into `deck-events-openapi.ts`, beside this file), and every
// request body is typed by the key of the webhook that delivers it.
//
// One endpoint receives every webhook, so it takes the union of their bodies. Each body is one
// event type with `type` as a literal, so a `switch` on `type` narrows the union to that
// webhook's body, and its `data` is typed. (Unlike `envelope.schema.json`, the document's webhooks
// hold only the types this version defines: an event of a later type is no webhook of it.)
//
// Usage: node openapi-consumer.js <bodies.json>
// bodies.json: [{ "webhook": <webhook key>, "body": <request body> }], taken from the document's
// own examples (which the ajv test validates against the same schemas).
// Prints one JSON line per body.

import { readFileSync } from "node:fs";
import type { components, webhooks } from "./deck-events-openapi.js";

/** The request body of the webhook `K`, as openapi-typescript types it. */
type Body<K extends keyof webhooks> = webhooks[K]["post"]["requestBody"]["content"]["application/json"];

/** What the endpoint receives: the body of any webhook. */
type Delivery = Body<keyof webhooks>;

/** The body of one webhook, spelled out by its key. */
type Completed = webhooks["task_run.completed"]["post"]["requestBody"]["content"]["application/json"];

function describe(event: Delivery): object {
  switch (event.type) {
    case "task_run.completed": {
      // Narrowed to the `task_run.completed` webhook's body: `data` is a task run, with a typed
      // `result` that a summary delivery may leave out (`undefined`) and a running task has `null`.
      const completed: Completed = event;
      const result: components["schemas"]["task_run_result"] | null = completed.data.result ?? null;
      return { type: event.type, id: event.data.id, result };
    }
    default:
      return { type: event.type };
  }
}

const [bodiesPath] = process.argv.slice(2);
if (!bodiesPath) {
  throw new Error("usage: node openapi-consumer.js <bodies.json>");
}
const deliveries = JSON.parse(readFileSync(bodiesPath, "utf8")) as {
  webhook: keyof webhooks;
  body: Delivery;
}[];
for (const { webhook, body } of deliveries) {
  console.log(JSON.stringify({ webhook, ...describe(body) }));
}
