import { callUrlVariable } from "../lib/service-calls";
import { isFileTarget } from "../lib/service-secrets";
import type { ServiceSettings } from "./schema";

// Rules across services: whom each calls, and the environment variables the platform adds
// (callee URLs, secrets) against the ones a service sets itself. Cycles are allowed: two
// services may call each other, the policies are per direction.

/** Reports one problem: the path under `services`, the rule, the value received. */
type Add = (path: string, rule: string, value?: unknown) => void;

/** The problems of the services' `calls` and of the variables they would set twice. */
export function serviceLinkProblems(
  services: Readonly<Record<string, ServiceSettings>>,
  add: Add,
): void {
  const names = Object.keys(services);
  for (const [name, svc] of Object.entries(services)) {
    svc.calls.forEach((callee, i) => {
      if (callee === name) {
        add(
          `services.${name}.calls[${i}]`,
          "must not name the service itself: a service reaches its own pods without a policy",
          callee,
        );
      } else if (!names.includes(callee)) {
        add(
          `services.${name}.calls[${i}]`,
          `must name a service of this stack (${names.join(", ")})`,
          callee,
        );
      }
    });

    // Every variable the container gets, and who sets it; a second setter is a problem.
    const setters = new Map<string, string>();
    for (const variable of Object.keys(svc.env)) setters.set(variable, "settings.env");
    for (const callee of svc.calls.filter((c) => c !== name && names.includes(c))) {
      const variable = callUrlVariable(callee);
      const earlier = setters.get(variable);
      if (earlier !== undefined) {
        add(
          `services.${name}.env.${variable}`,
          `must not be set: the platform sets it to the URL of "${callee}", which the service calls`,
          services[name]?.env[variable],
        );
      }
      setters.set(variable, `calls (${callee})`);
    }
    for (const target of Object.keys(svc.secrets).filter((t) => !isFileTarget(t))) {
      const earlier = setters.get(target);
      if (earlier !== undefined) {
        add(
          `services.${name}.secrets.${target}`,
          `must not name a variable ${earlier} already sets`,
          target,
        );
      }
    }
  }
}
