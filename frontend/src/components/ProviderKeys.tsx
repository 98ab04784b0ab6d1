import { useState } from "react";
import { useProviderKeys, useRemoveProviderKey, useSetProviderKey } from "../api/hooks";
import type { ProviderKey } from "../api/types";
import { ErrorText } from "./Banner";

type Provider = ProviderKey["provider"];

const PROVIDERS: Array<{ id: Provider; label: string }> = [
  { id: "openai", label: "OpenAI" },
  { id: "anthropic", label: "Anthropic" },
  { id: "openai_compatible", label: "OpenAI-compatible server" },
];
const label = (p: string) => PROVIDERS.find((x) => x.id === p)?.label ?? p;

function Status({ k }: { k: ProviderKey }) {
  if (k.last_ok === true) return <span className="text-emerald-700 dark:text-emerald-300">worked last time</span>;
  if (k.last_ok === false)
    return (
      <span className="text-red-700 dark:text-red-300">
        failed last time{k.last_error_code === "MODEL_AUTH_FAILED" ? ": the provider refused it" : k.last_error_code ? ` (${k.last_error_code})` : ""}
      </span>
    );
  return <span className="text-slate-600 dark:text-slate-300">not used yet</span>;
}

/** "Your model keys" (issue 13): the user's own provider keys; the key itself is never shown again. */
export function ProviderKeys() {
  const list = useProviderKeys();
  const set = useSetProviderKey();
  const remove = useRemoveProviderKey();
  const [provider, setProvider] = useState<Provider>("openai");
  const [key, setKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const items = list.data?.items ?? [];
  const field = "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
  const save = () =>
    set.mutate(
      { provider, key, base_url: provider === "openai_compatible" ? baseUrl : null },
      { onSuccess: () => { setKey(""); setBaseUrl(""); } },
    );
  return (
    <section aria-label="Your model keys" className="space-y-2 border-t border-slate-200 pt-3 dark:border-slate-700">
      <h3 className="text-sm font-semibold">Your model keys</h3>
      <p className="text-xs text-slate-600 dark:text-slate-300">Your runs use your own key for its provider instead of the server's. It is stored encrypted and never shown again.</p>
      {items.length > 0 && (
        <ul className="space-y-1 text-sm">
          {items.map((k) => (
            <li key={k.provider} className="flex items-center justify-between gap-2">
              <span>
                <strong>{label(k.provider)}</strong> <span className="font-mono">••••{k.last4}</span>
                {k.base_url ? <span className="text-xs text-slate-600 dark:text-slate-300"> at {k.base_url}</span> : null} · <Status k={k} />
              </span>
              <button type="button" onClick={() => remove.mutate(k.provider)} disabled={remove.isPending} className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700" aria-label={`Remove ${label(k.provider)} key`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="grid grid-cols-[auto_1fr] items-center gap-2 text-sm">
        <label htmlFor="pk-provider">Provider</label>
        <select id="pk-provider" value={provider} onChange={(e) => setProvider(e.target.value as Provider)} className={field}>
          {PROVIDERS.map((p) => (
            <option key={p.id} value={p.id}>{p.label}</option>
          ))}
        </select>
        <label htmlFor="pk-key">API key</label>
        <input id="pk-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} className={field} />
        {provider === "openai_compatible" && (
          <>
            <label htmlFor="pk-url">Base URL</label>
            <input id="pk-url" type="url" placeholder="https://llm.example.org/v1" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} className={field} />
          </>
        )}
      </div>
      {set.isError && <ErrorText error={set.error} />}
      {remove.isError && <ErrorText error={remove.error} />}
      {list.isError && <ErrorText error={list.error} onRetry={() => list.refetch()} />}
      <div className="flex justify-end">
        <button type="button" onClick={save} disabled={!key.trim() || set.isPending} className="rounded-md border border-sky-700 px-3 py-1 text-sm text-sky-800 disabled:opacity-50 dark:text-sky-200">
          Set key
        </button>
      </div>
    </section>
  );
}
