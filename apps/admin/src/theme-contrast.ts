/**
 * Mantine's default colours put text below WCAG AA's 4.5:1 in many places: dimmed
 * text (#868e96 on white, 3.3:1), links, error messages, coloured text and outlines
 * (shade 6 on white), white text on filled teal, green, orange or yellow, and light
 * badges of those colours. This resolver keeps Mantine's variables and replaces
 * each colour role with the nearest shade that reaches 4.5:1 against the
 * background it is drawn on, darkened (light theme) or lightened (dark theme)
 * further where no shade of the palette does. Theme-wide: every component
 * reading these variables gets readable text, whoever wrote the page.
 */
import { type CSSVariablesResolver, darken, lighten, luminance, type MantineTheme, toRgba } from "@mantine/core";

/** WCAG AA for normal-size text. */
const AA = 4.5;

/** The WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** `color` if it reaches AA on every background, else the first step of `adjust` that does. */
function readable(color: string, backgrounds: string[], adjust: (color: string, amount: number) => string): string {
  const passes = (candidate: string) => backgrounds.every((background) => contrastRatio(candidate, background) >= AA);
  if (passes(color)) return color;
  for (let amount = 0.05; amount < 1; amount += 0.05) {
    const candidate = hex(adjust(color, amount));
    if (passes(candidate)) return candidate;
  }
  return hex(adjust(color, 1));
}

function hex(color: string): string {
  const { r, g, b } = toRgba(color);
  return `#${[r, g, b].map((channel) => Math.round(channel).toString(16).padStart(2, "0")).join("")}`;
}

/** The backgrounds text sits on: the page, cards, striped and hovered rows. */
function surfaces(theme: MantineTheme) {
  const gray = theme.colors.gray;
  const dark = theme.colors.dark;
  return {
    light: [theme.white, gray[0], gray[1]],
    dark: [dark[7], dark[6], dark[5]],
  };
}

export const contrastCssVariablesResolver: CSSVariablesResolver = (theme) => {
  const light: Record<string, string> = {};
  const dark: Record<string, string> = {};
  const on = surfaces(theme);
  const lightShade = typeof theme.primaryShade === "number" ? theme.primaryShade : theme.primaryShade.light;
  const darkShade = typeof theme.primaryShade === "number" ? theme.primaryShade : theme.primaryShade.dark;

  for (const [name, shades] of Object.entries(theme.colors)) {
    if (!Array.isArray(shades) || shades.length < 10) continue; // virtual colours: none in this theme
    // Light theme: text and outlines on the page, white text on filled, shade 9 on the light tint.
    const lightText = readable(shades[lightShade] as string, on.light, darken);
    const lightFilled = readable(shades[lightShade] as string, [theme.white], darken);
    light[`--mantine-color-${name}-text`] = lightText;
    light[`--mantine-color-${name}-outline`] = lightText;
    light[`--mantine-color-${name}-filled`] = lightFilled;
    light[`--mantine-color-${name}-filled-hover`] = hex(darken(lightFilled, 0.1));
    light[`--mantine-color-${name}-light-color`] = readable(
      shades[9] as string,
      [shades[1] as string, shades[2] as string],
      darken,
    );
    // Dark theme: shade 4 text on dark surfaces, white text on filled.
    const darkText = readable(shades[4] as string, on.dark, lighten);
    const darkFilled = readable(shades[darkShade] as string, [theme.white], darken);
    dark[`--mantine-color-${name}-text`] = darkText;
    dark[`--mantine-color-${name}-outline`] = darkText;
    dark[`--mantine-color-${name}-filled`] = darkFilled;
    dark[`--mantine-color-${name}-filled-hover`] = hex(darken(darkFilled, 0.1));
  }

  const primary = theme.colors[theme.primaryColor] as unknown as string[];
  const red = theme.colors.red as unknown as string[];
  Object.assign(light, {
    "--mantine-color-dimmed": readable(theme.colors.gray[6], on.light, darken),
    "--mantine-color-anchor": readable(primary[lightShade] as string, on.light, darken),
    "--mantine-color-error": readable(red[6] as string, on.light, darken),
    "--mantine-color-placeholder": readable(theme.colors.gray[5], [theme.white], darken),
  });
  Object.assign(dark, {
    "--mantine-color-dimmed": readable(theme.colors.dark[2], on.dark, lighten),
    "--mantine-color-anchor": readable(primary[4] as string, on.dark, lighten),
    "--mantine-color-error": readable(red[6] as string, on.dark, lighten),
    "--mantine-color-placeholder": readable(theme.colors.dark[3], [theme.colors.dark[6]], lighten),
  });

  return { variables: {}, light, dark };
};
