import type { ActivateError, ProfileError } from "~/.server/services/sourcing-admin";
import type { Rule } from "~/domain/sourcing/types";
import type { RuleSetError } from "~/domain/sourcing/validate-rule-set";
import { ruleLabel } from "./rules";

// Every business error of the sourcing page in plain words (the codes stay in the action result).

export function ruleSetErrorMessage(e: RuleSetError, rules: readonly Rule[], locationName: (id: string) => string = (id) => id): string {
  const rule = (i: number) => `Rule ${i + 1} (${ruleLabel(rules[i] ?? { type: "?" })})`;
  switch (e.code) {
    case "INVALID_VERSION":
      return "The version number is invalid.";
    case "INVALID_MAX_SHIPMENTS":
      return "Maximum shipments must be a whole number, at least 1.";
    case "INVALID_MIN_VALUE":
      return "Minimum value per shipment must be an amount of 0 or more in the shop's currency, e.g. 25.00.";
    case "WAIT_DAYS_REQUIRED":
      return "Waiting for stock needs a number of days: a whole number, at least 1.";
    case "UNKNOWN_RULE_TYPE":
      return `Rule ${e.ruleIndex + 1}: "${e.type}" is not a rule the engine knows.`;
    case "EMPTY_EXCLUDE":
      return `${rule(e.ruleIndex)} names neither a location nor a location tag, so it would exclude nothing.`;
    case "DUPLICATE_RULE":
      return `${rule(e.ruleIndex)} is already higher in the list; each ranking rule may appear once.`;
    case "UNKNOWN_LOCATION":
      return `${rule(e.ruleIndex)}: location ${locationName(e.locationId)} is not one of this shop's locations.`;
    case "UNKNOWN_LOCATION_TAG":
      return `${rule(e.ruleIndex)}: no location has the tag "${e.tag}". Add the tag to a location profile first.`;
    case "UNKNOWN_PRODUCT_TAG":
      return `${rule(e.ruleIndex)}: no product has the tag "${e.tag}".`;
  }
}

export function activateErrorMessages(e: ActivateError): string[] {
  switch (e.code) {
    case "NOT_FOUND":
      return ["This version does not exist."];
    case "NOT_DRAFT":
      return [`Only a draft can be activated; this version is ${e.status}.`];
    case "INVALID":
      return ["This draft no longer validates against the shop, so it was not activated:", ...e.errors.map((x) => ruleSetErrorMessage(x, e.rules))];
  }
}

const FIELDS = {
  priority: "Priority",
  dailyCapacity: "Daily capacity (blank = no limit)",
  handlingCost: "Handling cost per shipment",
  costPerKm: "Cost per km",
};

export function profileErrorMessage(e: ProfileError): string {
  switch (e.code) {
    case "UNKNOWN_LOCATION":
      return "Unknown location: it is not one of this shop's locations. Reconcile inventory to refresh the list.";
    case "INVALID_KIND":
      return "Kind must be warehouse, store, drop-ship or pickup.";
    case "INVALID_COUNT":
      return `${FIELDS[e.field]} must be a whole number, 0 or more.`;
    case "INVALID_MONEY":
      return `${FIELDS[e.field]} must be an amount of 0 or more in the shop's currency, e.g. 4.50.`;
    case "INVALID_COUNTRY":
      return `"${e.value}" is not a two-letter country code (e.g. US, CA).`;
    case "INVALID_SHIP_DAYS":
      return "Ships on: weekday names separated by commas, e.g. Mon, Tue, Wed, Thu, Fri (blank = every day).";
    case "INVALID_CUTOFF":
      return "Cut-off must be a time of day such as 15:00 (blank = end of day).";
    case "INVALID_TIME_ZONE":
      return `"${e.value}" is not a time zone; use a name such as America/New_York.`;
    case "INVALID_CLOSED_DATES":
      return "Closed dates must be dates such as 2026-12-25, separated by commas.";
  }
}
