// The simulator's bungie.net website, driven as a person would.

/** The demo world's PlayStation player. */
export const DEMO_PLAYER = { username: 'guardian@example.com', password: 'sandbox-password' };

/**
 * Signs in on https://www.bungie.net/ with PlayStation in `page`, leaving the bungie.net session
 * cookies in the browser. Resolves once the site greets the player.
 */
export async function signInWithPlayStation(page, player = DEMO_PLAYER) {
  await page.goto('https://www.bungie.net/');
  await page.getByRole('link', { name: 'Sign in with PlayStation' }).click();
  await submitSonyLogin(page, player);
  await page.waitForURL('https://www.bungie.net/');
  await page.getByText('SandboxGuardian').first().waitFor();
}

/**
 * Once a "Sign in with PlayStation" link was followed in `page`: waits for Sony's login page,
 * types the player's sign-in id and password, and submits them.
 */
export async function submitSonyLogin(page, { username, password } = DEMO_PLAYER) {
  await page.waitForURL(/^https:\/\/auth\.api\.sonyentertainmentnetwork\.com\/login\.jsp/);
  await page.locator('input[name="j_username"]').fill(username);
  await page.locator('input[name="j_password"]').fill(password);
  await page.locator('form').evaluate((form) => form.requestSubmit());
}
