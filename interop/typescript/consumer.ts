// A Deck events consumer in TypeScript, as the README describes one: its types are generated
// from `envelope.schema.json` by json-schema-to-typescript (into `deck-events.ts`, beside this
// file), and it validates each payload with ajv against the same schema before using it.
//
// Why it validates against `event.known` before switching on `type`: the catalog also accepts
// events of types added after this version of the spec, so the generated `Event` is
// `EventKnown | UnknownEvent`, and `UnknownEvent.type` is any string. On `Event`, comparing
// `type` with "task_run.completed" leaves `UnknownEvent` in the union (its `type` could be that
// string as far as the types know), and `data` stays unchecked. ajv's validators are type guards,
// so validating against the catalog's `event.known` definition narrows a payload to `EventKnown`,
// a union tagged on `type`, where a `switch` narrows to each event. The two branches of the
// catalog exclude each other (an unknown event's `type` is none of the known ones), so this is
// exact, not a cast.
//
// Usage: node consumer.js <envelope.schema.json> <events.json>
// Prints one JSON line per event.

import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Event, EventKnown, TaskRunResult } from "./deck-events.js";

const [catalogPath, eventsPath] = process.argv.slice(2);
if (!catalogPath || !eventsPath) {
  throw new Error("usage: node consumer.js <envelope.schema.json> <events.json>");
}
const catalog = JSON.parse(readFileSync(catalogPath, "utf8")) as { $id: string };

const ajv = new Ajv2020({ strict: true });
// `.default`: under `module: nodenext`, TypeScript types the default import of this CommonJS
// package as its whole `module.exports`, which carries the plugin as `default` too.
addFormats.default(ajv);
// The schemas' annotations beyond the standard vocabulary; strict mode wants them declared.
ajv.addVocabulary(["x-id-prefix", "x-since", "x-deprecated-reason"]);
ajv.addSchema(catalog);
// `compile`, not `getSchema`: its validators are type guards (`getSchema`'s may be async ones).
const isEvent = ajv.compile<Event>({ $ref: catalog.$id });
const isKnown = ajv.compile<EventKnown>({ $ref: `${catalog.$id}#/$defs/event.known` });

function describe(event: EventKnown): object {
  switch (event.type) {
    case "task_run.completed": {
      // Narrowed to `TaskRunCompleted`: `data` is a task run, with a typed `result` that a
      // summary delivery may leave out (`undefined`) and a running task has `null`.
      const result: TaskRunResult | null = event.data.result ?? null;
      return { type: event.type, id: event.data.id, result };
    }
    default:
      return { type: event.type };
  }
}

const events = JSON.parse(readFileSync(eventsPath, "utf8")) as unknown[];
for (const payload of events) {
  if (!isEvent(payload)) {
    console.log(JSON.stringify({ invalid: ajv.errorsText(isEvent.errors) }));
  } else if (isKnown(payload)) {
    console.log(JSON.stringify(describe(payload)));
  } else {
    // An event type added after this version of the spec: the envelope is checked, `data` is not.
    console.log(JSON.stringify({ type: payload.type, unknown: true }));
  }
}
