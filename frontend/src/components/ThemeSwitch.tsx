import { useTheme, type Theme } from "../lib/theme";

export function ThemeSwitch() {
  const [theme, setTheme] = useTheme();
  return (
    <div className="flex items-center gap-1 text-xs" role="radiogroup" aria-label="Theme">
      <span className="mr-1 text-slate-600 dark:text-slate-400">Theme</span>
      {(["light", "dark", "auto"] as Theme[]).map((t) => (
        <button
          key={t}
          type="button"
          role="radio"
          aria-checked={theme === t}
          onClick={() => setTheme(t)}
          className={`rounded px-2 py-1 capitalize max-wide:min-h-11 max-wide:min-w-11 ${
            theme === t ? "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900" : "hover:bg-slate-200 dark:hover:bg-slate-800"
          }`}
        >
          {t}
        </button>
      ))}
    </div>
  );
}
