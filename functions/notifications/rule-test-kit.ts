import type { Person, RuleContext } from "./rule-kit.ts";
import { RULES } from "./rules.ts";

/**
 * What the rules-*.test.ts files run a rule with: a fixed cast of people looked up by id, the
 * links, and an event built around the payload — so each test states only the event and payload.
 */
export const PEOPLE = {
  cli: { id: "cli", email: "ana@example.com", nombre: "Ana", apellido: "Cliente", isActive: true },
  pro: { id: "pro", email: "pablo@example.com", nombre: "Pablo", apellido: "Plomero", isActive: true },
  adm: { id: "adm", email: "admin@example.com", nombre: "Admin", apellido: "System", isActive: true },
} satisfies Record<string, Person>;

export type RuleRunOptions = {
  /** Who can be looked up by id (default: the client and the professional). */
  people?: Person[];
  /** What `admins()` answers (default: nobody). */
  admins?: Person[];
  producer?: string;
  aggregateId?: string;
  /** Profile id → account id (default: no profile is known). */
  professionalAccount?: RuleContext["professionalAccount"];
};

/**
 * A `run(type, payload)` that applies the rule for `type` to a context built from `options`.
 *
 * @example
 * const run = ruleRunner({ admins: [PEOPLE.adm] });
 * const drafts = await run("dispute.opened", { trabajo_id: "t1", cliente_id: "cli", profesional_id: "pro" });
 */
export function ruleRunner(options: RuleRunOptions = {}) {
  const people = new Map((options.people ?? [PEOPLE.cli, PEOPLE.pro]).map((p) => [p.id, p]));
  const admins = options.admins ?? [];
  return (type: string, payload: Record<string, unknown>) => {
    const ctx: RuleContext = {
      event: {
        id: "evt",
        type,
        aggregate_id: options.aggregateId ?? "agg",
        producer: options.producer ?? "test",
        payload,
        created_at: "",
      },
      payload,
      links: { frontend: "https://app.example", passwordReset: "", emailVerification: "" },
      person: (id) => Promise.resolve(id ? people.get(id) : undefined),
      professionalAccount: options.professionalAccount ?? (() => Promise.resolve(undefined)),
      admins: () => Promise.resolve(admins),
    };
    return RULES[type](ctx);
  };
}
