import { html } from './html';
import { SIGN_IN_PATH } from './page-paths';

export interface SignInModel {
  title: string;
  /** Why the last token was turned away, or why one is needed. */
  message: string;
}

/**
 * The page a browser gets instead of the chat when this server needs a token and has none (or a
 * bad one): one field to paste it into. No script runs here; the form posts to this server only.
 */
export function signInPage(model: SignInModel): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <title>Sign in · ${model.title}</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/app.css">
</head>
<body>
  <div class="app">
    <header class="topbar"><h1 class="topbar__title">${model.title}</h1></header>
    <main class="log"><div class="log__inner">
      <p class="notice" role="alert">${model.message}</p>
      <form class="composer" method="post" action="${SIGN_IN_PATH}">
        <div class="composer__box">
          <label for="token">Access token</label>
          <textarea id="token" name="token" rows="3" required autocomplete="off" spellcheck="false"
                    placeholder="Paste a token, e.g. from: npm run token -- --sub alice"></textarea>
          <div class="composer__row"><button type="submit" class="btn">Sign in</button></div>
        </div>
      </form>
    </div></main>
  </div>
</body>
</html>
`}`;
}
