// Issue 15, the reviewer: a small badge under an answer with its completeness and relevancy scores (1-5) and
// how many times the reviewer sent it back to the analyst.
import type { Review } from "../api/types";

const VERDICTS: Record<Review["verdict"], string> = {
  pass: "Reviewed",
  revise: "Sent back",
  low: "Low review score",
  skipped: "Review skipped",
};

export function reviewTitle(review: Review): string {
  if (review.verdict === "skipped") return "The reviewer could not score this answer; it is shown unreviewed.";
  const parts = [`Completeness ${review.completeness}/5, relevancy ${review.relevancy}/5.`];
  const n = review.reroutes ?? 0;
  if (n > 0) parts.push(`Revised ${n} time${n === 1 ? "" : "s"} after review.`);
  if (review.verdict === "low") parts.push("Still below the reviewer's bar.");
  if (review.critique) parts.push(`Critique: ${review.critique}`);
  return parts.join(" ");
}

export function ReviewBadge({ review }: { review?: Review | null }) {
  if (!review) return null;
  const n = review.reroutes ?? 0;
  const tone =
    review.verdict === "pass"
      ? "border-emerald-300 text-emerald-800 dark:border-emerald-700 dark:text-emerald-300"
      : review.verdict === "low"
        ? "border-amber-300 text-amber-800 dark:border-amber-700 dark:text-amber-300"
        : "border-slate-300 text-slate-600 dark:border-slate-600 dark:text-slate-400";
  return (
    <span
      className={`mt-1 inline-flex items-center gap-2 rounded-full border px-2 py-0.5 text-xs ${tone}`}
      data-testid="review-badge"
      data-verdict={review.verdict}
      title={reviewTitle(review)}
    >
      <span>{VERDICTS[review.verdict]}</span>
      {review.verdict !== "skipped" && (
        <span aria-label={`completeness ${review.completeness} of 5, relevancy ${review.relevancy} of 5`}>
          C {review.completeness}/5 · R {review.relevancy}/5
        </span>
      )}
      {n > 0 && <span>{`↻ ${n}`}</span>}
    </span>
  );
}
