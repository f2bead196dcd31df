import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { Auth } from "./app/auth";
import { loadConfig } from "./app/config";
import { SessionProvider, type Session } from "./app/session";
import { billingApi } from "./api/billingApi";
import { controlApi, data } from "./api/controlApi";
import { describeError } from "./api/problem";
import { EventStream } from "./live/eventStream";
import "./ui/theme.css";

async function start(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  const auth = new Auth(config);
  await auth.signIn();
  const token = () => auth.accessToken();
  const api = controlApi(config.apiUrl, token);
  const me = await data(api.GET("/v1/me"));
  const events = new EventStream(async (lastEventId, signal) =>
    fetch(`${config.apiUrl}/v1/events?follow=true`, {
      headers: {
        Authorization: `Bearer ${await token()}`,
        Accept: "text/event-stream",
        ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}),
      },
      signal,
    }),
  );
  events.start();
  const billing = billingApi(config.billingUrl, token);
  const session: Session = { config, me, api, billing, token, events, signOut: () => void auth.signOut() };
  createRoot(root).render(
    <StrictMode>
      <SessionProvider session={session}>
        <App />
      </SessionProvider>
    </StrictMode>,
  );
}

const root = document.getElementById("root")!;
start(root).catch((error: unknown) => {
  root.innerHTML = "";
  const message = document.createElement("p");
  message.setAttribute("role", "alert");
  message.className = "alert alert-error";
  message.textContent = `The portal could not start: ${describeError(error)}`;
  root.append(message);
});
