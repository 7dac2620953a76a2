import { describe, expect, it } from "vitest";
import { countryName, isCountry, searchCountries } from "./countries";

describe("countries", () => {
  it("names a country in each language", () => {
    expect(countryName("DE", "en")).toBe("Germany");
    expect(countryName("DE", "ru")).toBe("Германия");
    expect(countryName("KZ", "kk")).toBe("Қазақстан");
    expect(countryName("XX", "en")).toBe("XX");
    expect(isCountry("RU") && !isCountry("ru")).toBe(true);
  });

  it("finds a country by any of its names or its code", () => {
    expect(searchCountries("герм", "en")[0]?.code).toBe("DE");
    expect(searchCountries("Germ", "ru")[0]?.code).toBe("DE");
    expect(searchCountries("de", "en")[0]?.code).toBe("DE");
    expect(searchCountries("Ресей", "en").map((c) => c.code)).toContain("RU");
    expect(searchCountries("zzzz", "en")).toEqual([]);
  });

  it("lists names starting with the query before those containing it, in the language's order", () => {
    const found = searchCountries("land", "en").map((c) => c.en);
    const starting = found.filter((n) => n.toLowerCase().startsWith("land"));
    expect(found.slice(0, starting.length)).toEqual(starting);
    expect(searchCountries("", "en").length).toBeGreaterThanOrEqual(249);
  });
});
