"""The shared list reader behind the partner and respondent lists (ninefold.lists)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ninefold.lists import (
    MAX_LISTED_PROBLEMS,
    MAX_UPLOAD_BYTES,
    ListError,
    ListShape,
    Row,
    Table,
    check_rows,
    decode_upload,
    read_table,
    read_upload,
)

SHAPE = ListShape(
    columns=("name", "colour"),
    noun="things",
    max_rows=3,
    empty_hint="Give one thing per row.",
    aliases={"shade": "colour"},
)


def problems_of(call, *args, **kwargs) -> list[str]:
    with pytest.raises(ListError) as caught:
        call(*args, **kwargs)
    return caught.value.problems


def numbered(table: Table) -> list[tuple[int, dict[str, str]]]:
    return [(row.number, row.values) for row in table.rows]


def keep_all(row: Row, problems: list[str]) -> Row:
    return row


# Decoding an upload


def test_a_byte_order_mark_is_dropped_and_utf8_is_kept_exactly():
    assert decode_upload("\ufeffname\nCafé Ōtautahi\n".encode()) == "name\nCafé Ōtautahi\n"
    assert decode_upload("Café".encode()) == "Café"


def test_bytes_that_are_not_utf8_are_refused_with_how_to_resave():
    [problem] = problems_of(decode_upload, "Café Société".encode("latin-1"))
    assert problem.startswith("This file is not in UTF-8")
    assert "'CSV UTF-8'" in problem and "'Unicode (UTF-8)'" in problem


@pytest.mark.parametrize("data", ["name\nA\n".encode("utf-16"), b"PK\x03\x04\x00\x00"])
def test_utf16_and_binary_files_are_not_text(data):
    [problem] = problems_of(decode_upload, data)
    assert problem.startswith("This file is not a text file.")


def test_too_many_bytes_are_refused_with_the_size_and_the_limit():
    [problem] = problems_of(decode_upload, b"a" * 2049, max_bytes=2048)
    assert problem == "The file is 2.0\xa0KB; the limit is 2.0\xa0KB. Is it the right file?"
    assert decode_upload(b"a" * 2048, max_bytes=2048) == "a" * 2048


def test_an_upload_over_the_limit_is_refused_before_it_is_read():
    class Unreadable:
        size = MAX_UPLOAD_BYTES + 1

        def read(self) -> bytes:
            raise AssertionError("the file was read")

    [problem] = problems_of(read_upload, Unreadable())
    assert "the limit is 1.0\xa0MB" in problem


def test_an_upload_within_the_limit_is_decoded():
    upload = SimpleUploadedFile("ok.csv", "\ufeffname,colour\nA,red\n".encode())
    assert read_upload(upload) == "name,colour\nA,red\n"


# Splitting into rows


def test_rows_are_numbered_as_in_the_file_with_blank_lines_skipped_but_counted():
    text = "name,colour\n\n  Apple ,  red\n   \n,,\nBerry,blue\n"
    assert numbered(read_table(text, SHAPE)) == [
        (3, {"name": "Apple", "colour": "red"}),
        (6, {"name": "Berry", "colour": "blue"}),
    ]


def test_a_cell_quoted_over_two_lines_is_one_row():
    text = 'name,colour\n"Two\nlines",red\nNext,blue\n'
    assert numbered(read_table(text, SHAPE)) == [
        (2, {"name": "Two\nlines", "colour": "red"}),
        (3, {"name": "Next", "colour": "blue"}),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "name\tcolour\nApple, the green one\tgreen\n",  # pasted from a spreadsheet
        "name;colour\nApple, the green one;green\n",  # European CSV
        'name,colour\n"Apple, the green one",green\n',
    ],
)
def test_the_separator_is_a_tab_a_semicolon_or_a_comma(text):
    assert numbered(read_table(text, SHAPE)) == [
        (2, {"name": "Apple, the green one", "colour": "green"})
    ]


def test_a_semicolon_in_a_comma_separated_list_is_part_of_a_cell():
    text = "name,colour\nA; B,red\n"
    assert numbered(read_table(text, SHAPE)) == [(2, {"name": "A; B", "colour": "red"})]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_windows_old_mac_and_unix_line_endings_are_all_read(newline):
    text = newline.join(["name,colour", "A,red", "B,blue"]) + newline
    assert [row.number for row in read_table(text, SHAPE).rows] == [2, 3]


def test_a_byte_order_mark_in_pasted_text_is_ignored():
    assert numbered(read_table("\ufeffname,colour\nA,red", SHAPE)) == [
        (2, {"name": "A", "colour": "red"})
    ]


@pytest.mark.parametrize("text", ["", "\n\n   \n", ",,\n , \n"])
def test_a_list_of_blank_rows_is_empty(text):
    assert problems_of(read_table, text, SHAPE) == ["The list is empty. Give one thing per row."]


def test_pasted_text_over_the_limit_is_refused():
    assert problems_of(read_table, "name,colour\n" + "é" * 600, SHAPE, max_bytes=1024) == [
        "The list is larger than the 1.0\xa0KB limit. Split it into parts."
    ]


def test_a_cell_csv_cannot_read_is_reported_not_crashed_on():
    [problem] = problems_of(read_table, 'name,colour\n"' + "a" * 200_000, SHAPE)
    assert problem.startswith("The list could not be read as CSV:")


# The header


def test_the_header_may_name_the_columns_in_any_order_case_and_alias():
    text = "  SHADE , Name\nred,Apple\n"
    assert numbered(read_table(text, SHAPE)) == [(2, {"name": "Apple", "colour": "red"})]


def test_without_a_required_header_the_columns_are_in_their_usual_order():
    table = read_table("Apple,red\nBerry,blue\n", SHAPE, header_required=False)
    assert numbered(table) == [
        (1, {"name": "Apple", "colour": "red"}),
        (2, {"name": "Berry", "colour": "blue"}),
    ]
    # A header is still recognised, and skipped, when it is there.
    table = read_table("colour,name\nred,Apple\n", SHAPE, header_required=False)
    assert numbered(table) == [(2, {"name": "Apple", "colour": "red"})]


def test_a_required_header_that_is_wrong_says_what_is_missing_and_not_expected():
    assert problems_of(read_table, "\nname,size\nApple,big\n", SHAPE) == [
        "Row 2: the columns must be exactly name, colour. Missing: colour. Not expected: size."
    ]
    assert problems_of(read_table, "name,,colour\n", SHAPE) == [
        "Row 1: the columns must be exactly name, colour. Not expected: (an empty column name)."
    ]
    assert problems_of(read_table, "name,name,colour\n", SHAPE) == [
        "Row 1: the columns must be exactly name, colour."
    ]


def test_a_first_row_that_looks_half_like_a_header_is_refused_even_when_optional():
    assert problems_of(read_table, "name,size\nA,red\n", SHAPE, header_required=False) == [
        "Row 1: the columns must be exactly name, colour. Missing: colour. Not expected: size."
    ]


def test_a_header_with_nothing_under_it_is_refused():
    assert problems_of(read_table, "name,colour\n\n", SHAPE) == [
        "The list has column names but no things below them."
    ]


# Limits and the shape of each row


def test_more_rows_than_the_limit_are_refused_and_the_limit_itself_is_fine():
    text = "name,colour\n" + "A,red\n" * 3
    assert len(read_table(text, SHAPE).rows) == 3
    assert problems_of(read_table, text + "B,blue\n", SHAPE) == [
        "The list has 4 things; add at most 3 at a time."
    ]


def test_rows_with_too_few_or_too_many_cells_are_set_aside_by_number():
    table = read_table("name,colour\nA\nB,red,big\nC,blue,,\n", SHAPE)
    assert numbered(table) == [(4, {"name": "C", "colour": "blue"})]  # trailing commas ignored
    assert table.problems == [
        (2, "has 1 value; give exactly 2: name, colour"),
        (3, "has 3 values; give exactly 2: name, colour"),
    ]


# Checking the rows


@pytest.mark.parametrize("cell", ["=1+1", "+44 1234", "-minus", "@SUM(A1)", "  =SUM(A1)"])
def test_formula_like_cells_are_refused_with_their_row_and_column(cell):
    table = read_table(f'name,colour\nFine,red\n"{cell}",blue\n', SHAPE)
    [problem] = problems_of(check_rows, table, keep_all)
    first = cell.strip()[0]
    assert problem.startswith(f"Row 3: the name '{cell.strip()[:40]}' starts with '{first}'")
    assert problem.endswith("which spreadsheets treat as a formula; remove that first character.")


def test_a_cell_that_only_contains_a_formula_character_later_is_fine():
    table = read_table("name,colour\nBlue-Green Trust,blue\n\tPlus+,red\n", SHAPE)
    assert [row.values["name"] for row in check_rows(table, keep_all)] == [
        "Blue-Green Trust",
        "Plus+",
    ]


def test_every_problem_of_a_row_is_on_one_line_and_rows_come_in_order():
    def check(row: Row, problems: list[str]) -> Row:
        if row.values["colour"] != "red":
            problems.append(f"{row.values['colour']} is not red")
        return row

    table = read_table("name,colour\n=A,=B\nB\nC,blue\n", SHAPE)
    assert problems_of(check_rows, table, check) == [
        "Row 2: the name '=A' starts with '=', which spreadsheets treat as a formula; remove "
        "that first character; the colour '=B' starts with '=', which spreadsheets treat as a "
        "formula; remove that first character; =B is not red.",
        "Row 3: has 1 value; give exactly 2: name, colour.",
        "Row 4: blue is not red.",
    ]


def test_a_list_without_problems_gives_what_each_row_makes():
    table = read_table("name,colour\nA,red\nB,blue\n", SHAPE)
    assert check_rows(table, lambda row, problems: row.values["name"]) == ["A", "B"]


def test_a_long_list_of_problems_is_cut_short_with_a_count():
    shape = ListShape(columns=("name",), noun="things", max_rows=1000, empty_hint="")
    table = read_table("name\n" + "=x\n" * (MAX_LISTED_PROBLEMS + 5), shape)
    problems = problems_of(check_rows, table, keep_all)
    assert len(problems) == MAX_LISTED_PROBLEMS + 1
    assert problems[0].startswith("Row 2:")
    assert problems[-1] == "…and 5 more rows with problems."
