// "Types": a custom JSON type that functions in any SDK can exchange under the typename
// com.example/User.
import { makeJsonType, typeNameFrom } from "@statefun-ts/sdk";

export interface User {
  name: string;
  favoriteColor: string;
}

export const UserType = makeJsonType<User>(typeNameFrom("com.example/User"));
