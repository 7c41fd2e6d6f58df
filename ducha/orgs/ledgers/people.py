"""The people ledger (人员): staff with their posts, imported into units whose people the
importer manages, and exported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access
from ..access import Cap
from ..models import OrgUnit, Person, Post
from .common import (
    BATCH_SIZE,
    Ledger,
    RowReader,
    Written,
    choice_names,
    columns_by_key,
    common_path,
    duplicate_errors,
    ensure_pks,
    existing_codes,
    fetch_by_code,
)
from .readers import Column, RowError, Table

GENDER_NAMES = {Person.Gender.MALE: ("男", "m"), Person.Gender.FEMALE: ("女", "f")}
POST_SEPARATORS = re.compile(r"[、,，;；]")

COLUMNS = (
    Column(
        "code",
        "工号",
        "Staff number",
        required=True,
        help=gettext_lazy("Unique staff number of the person."),
        example="H01-0123",
        aliases=("人员编码", "编号", "code"),
    ),
    Column(
        "name",
        "姓名",
        "Name",
        required=True,
        help=gettext_lazy("Full name."),
        example="张伟",
    ),
    Column(
        "gender",
        "性别",
        "Gender",
        help=gettext_lazy("男 or 女; may be left empty."),
        example="男",
    ),
    Column(
        "unit_code",
        "单位编码",
        "Unit code",
        required=True,
        help=gettext_lazy("Code of the unit the person works in; a unit whose people you manage."),
        example="H01",
        aliases=("所在单位编码",),
    ),
    Column(
        "posts",
        "职务",
        "Posts",
        help=gettext_lazy("Posts held at that unit, separated by 、 , or ; (e.g. 院长、党委书记)."),
        example="院长、党委书记",
    ),
    Column(
        "party",
        "党员",
        "Party member",
        help=gettext_lazy("是 or 否; empty means 否."),
        example="是",
        aliases=("是否党员",),
    ),
    Column(
        "phone",
        "电话",
        "Phone",
        help=gettext_lazy("Optional phone number."),
        example="13800000000",
        aliases=("手机", "联系电话"),
    ),
    Column(
        "email",
        "邮箱",
        "Email",
        help=gettext_lazy("Optional e-mail address."),
        example="zhangwei@example.cn",
        aliases=("电子邮箱", "e-mail"),
    ),
)
_COLUMNS = columns_by_key(COLUMNS)
_MAX = {f: Person._meta.get_field(f).max_length for f in ("code", "name", "phone", "email")}
_MAX_POST = Post._meta.get_field("title").max_length


@dataclass
class PersonRow:
    number: int
    code: str
    name: str
    gender: str
    unit_code: str
    posts: list[str] = field(default_factory=list)
    is_party_member: bool = False
    phone: str = ""
    email: str = ""


@dataclass
class Plan:
    rows: list[PersonRow]
    units: dict[str, OrgUnit]


def validate(*, actor, table: Table) -> tuple[Plan, list[RowError]]:
    """Check every row; no row is written unless all of them pass."""
    genders = choice_names(Person.Gender, GENDER_NAMES)
    rows: list[PersonRow] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        cells = RowReader(number, values, _COLUMNS)
        row = PersonRow(
            number=number,
            code=cells.text("code", required=True, max_length=_MAX["code"]),
            name=cells.text("name", required=True, max_length=_MAX["name"]),
            gender=cells.choice("gender", genders) or "",
            unit_code=cells.text("unit_code", required=True),
            posts=_posts(cells),
            is_party_member=bool(cells.bool("party")),
            phone=cells.text("phone", max_length=_MAX["phone"]),
            email=cells.text("email", max_length=_MAX["email"]),
        )
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                cells.error(
                    "email", _("“%(value)s” is not an e-mail address.") % {"value": row.email}
                )
        rows.append(row)
        errors += cells.errors

    first, dup_errors = duplicate_errors(rows, "code", "工号")
    errors += dup_errors
    for code in existing_codes(Person, first):
        errors.append(
            RowError(
                first[code],
                "工号",
                _("A person with the staff number “%(code)s” already exists.") % {"code": code},
            )
        )
    # Units outside the importer's people-managing scope read as missing: ids can't be probed.
    units = fetch_by_code(
        access.units_for_user(actor, Cap.MANAGE_PEOPLE).only("id", "code", "path"),
        (r.unit_code for r in rows if r.unit_code),
    )
    for row in rows:
        if row.unit_code and row.unit_code not in units:
            errors.append(
                RowError(
                    row.number,
                    "单位编码",
                    _("No unit with the code “%(code)s” among the units whose people you manage.")
                    % {"code": row.unit_code},
                )
            )
    return Plan(rows=rows, units=units), errors


def _posts(cells: RowReader) -> list[str]:
    titles = []
    for part in POST_SEPARATORS.split(cells.text("posts")):
        title = part.strip()
        if not title or title in titles:
            continue
        if len(title) > _MAX_POST:
            cells.error(
                "posts",
                _("The post “%(post)s” is longer than %(max)s characters.")
                % {"post": title, "max": _MAX_POST},
            )
            continue
        titles.append(title)
    return titles


def write(*, actor, plan: Plan) -> Written:
    people = [
        Person(
            code=row.code,
            name=row.name,
            gender=row.gender,
            unit_id=plan.units[row.unit_code].pk,
            phone=row.phone,
            email=row.email,
            is_party_member=row.is_party_member,
        )
        for row in plan.rows
    ]
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    ensure_pks(people)
    Post.objects.bulk_create(
        [
            Post(person_id=person.pk, unit_id=person.unit_id, title=title, sort_order=order)
            for person, row in zip(people, plan.rows, strict=True)
            for order, title in enumerate(row.posts)
        ],
        batch_size=BATCH_SIZE,
    )
    codes = [row.code for row in plan.rows]
    return Written(
        count=len(codes),
        codes=codes,
        unit_path=common_path(unit.path for unit in plan.units.values()),
    )


def export_rows(*, actor) -> Iterator[list]:
    genders = {value: names[0] for value, names in GENDER_NAMES.items()}
    people = (
        access.people_for_user(actor)
        .select_related("unit")
        .prefetch_related(Prefetch("posts", queryset=Post.objects.order_by("sort_order", "id")))
        .order_by("unit__path", "code")
    )
    for person in people.iterator(chunk_size=2000):
        yield [
            person.code,
            person.name,
            genders.get(person.gender, ""),
            person.unit.code,
            "、".join(dict.fromkeys(post.title for post in person.posts.all())),
            "是" if person.is_party_member else "否",
            person.phone,
            person.email,
        ]


LEDGER = Ledger(
    kind="people",
    name="人员",
    title=gettext_lazy("People"),
    model=Person,
    import_cap=Cap.MANAGE_PEOPLE,
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
)
