// The generated types in use: a page of persons and a problem body, as a frontend reads them.
import type { components, paths } from "../build/clients/ts/schema";

type VictimPage = components["schemas"]["VictimPage"];
type Problem = components["schemas"]["Problem"];
type ListVictims = paths["/api/v1/victims"]["get"]["responses"]["200"]["content"]["application/json"];

export function names(page: VictimPage & ListVictims): string[] {
  return page.items.map((item) => item.registration_number);
}

export function rule(problem: Problem): string {
  return problem.rule ?? problem.code;
}
