// A tool result that is a link for the user (view_3d_model, issue 16): the city's 3D viewer at a place.
export interface ToolLink {
  url: string;
  title: string;
  place?: string;
}

/** The link a tool message's meta carries ({link: {url, title, place}}), if any; only http(s) URLs. */
export function linkOf(meta: unknown): ToolLink | undefined {
  const link = (meta as { link?: unknown } | null | undefined)?.link as Record<string, unknown> | undefined;
  if (!link || typeof link.url !== "string" || !/^https?:\/\//i.test(link.url)) return undefined;
  return {
    url: link.url,
    title: typeof link.title === "string" && link.title ? link.title : link.url,
    place: typeof link.place === "string" ? link.place : undefined,
  };
}
