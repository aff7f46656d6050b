import { useTranslation } from "react-i18next";

interface Props {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}

export function Pagination({ page, pageSize, total, onPage }: Props) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        {t("pagination.previous")}
      </button>
      <span aria-current="page">{t("pagination.status", { page, pages })}</span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        {t("pagination.next")}
      </button>
    </nav>
  );
}
