// How schema names become identifiers in the generated languages (pure string functions).

/** Upper-cases the first character of each `_` part: `favoriteColor` -> `FavoriteColor`, `postal_code` -> `PostalCode`. */
export function pascalCase(text: string): string {
  return text
    .split("_")
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** `suspended` -> `SUSPENDED`, `in-progress` -> `IN_PROGRESS`, `camelCase` -> `CAMEL_CASE`. */
export function enumConstant(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replaceAll("-", "_")
    .toUpperCase();
}

/** `GreetRequest` -> `greet-request`. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** `GreetRequest` -> `greet_request`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}
