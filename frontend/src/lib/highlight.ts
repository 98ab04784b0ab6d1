// highlight.js core with the few languages an analyst thread uses, loaded on first use (own chunk).
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import xml from "highlight.js/lib/languages/xml";

hljs.registerLanguage("python", python);
hljs.registerLanguage("json", json);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("sql", sql);
hljs.registerLanguage("xml", xml);
hljs.registerAliases(["py"], { languageName: "python" });
hljs.registerAliases(["sh", "shell"], { languageName: "bash" });
hljs.registerAliases(["html"], { languageName: "xml" });

export function highlight(code: string, lang?: string): string {
  if (lang && hljs.getLanguage(lang)) return hljs.highlight(code, { language: lang }).value;
  return hljs.highlightAuto(code, ["python", "json", "bash", "sql"]).value;
}
