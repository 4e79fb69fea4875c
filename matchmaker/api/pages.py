"""Pagination for the API's lists: `page` and `per_page` in, the page's items out with a `Link` header (RFC 8288:
next, prev) and `X-Total-Count`, so a client follows `next` until there is none. `updated_since` keeps what changed
since an instant (the model's `updated_dt`, or `created_dt` where it has no other), so a CRM can sync."""

from flask import request, url_for
from sqlalchemy import Select, func, select

from matchmaker.extensions import db


def since(query: Select, column, args: dict) -> Select:
    if args.get("updated_since") is not None:
        query = query.where(column >= args["updated_since"])
    return query


def paginate(query: Select, args: dict) -> tuple[list, dict]:
    """The page `args` asks for of `query` (already ordered) and the headers that describe it."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    links = []
    if page * per_page < total:
        links.append(f'<{_page_url(page + 1)}>; rel="next"')
    if page > 1:
        links.append(f'<{_page_url(page - 1)}>; rel="prev"')
    headers = {"X-Total-Count": str(total)}
    if links:
        headers["Link"] = ", ".join(links)
    return items, headers


def _page_url(page: int) -> str:
    args = {**request.args.to_dict(), "page": page}
    return url_for(request.endpoint, **request.view_args, **args, _external=True)
