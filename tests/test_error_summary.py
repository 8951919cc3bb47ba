"""templates/_error_summary.html: the one error summary every form page includes."""

from html.parser import HTMLParser

from django import forms
from django.template.loader import render_to_string


class PartnerForm(forms.Form):
    name = forms.CharField(label="Organisation name", error_messages={"required": "Enter a name."})
    email = forms.EmailField(label="Email address", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email", "").endswith("@example.com"):
            raise forms.ValidationError("Nobody at example.com can be invited.")
        return cleaned


class ChoicesForm(forms.Form):
    level = forms.ChoiceField(
        label="Agreed level",
        choices=[("1", "Absent"), ("2", "Emerging")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a level."},
    )
    topics = forms.MultipleChoiceField(
        label="Linked preconditions",
        choices=[("A", "A"), ("B", "B")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one precondition."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "Reload."})


class SummaryParser(HTMLParser):
    """Collects each list item of the summary as (link target or None, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str | None, str]] = []
        self.headings: list[tuple[str, dict]] = []
        self.boxes: list[dict] = []
        self._item: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            self.boxes.append(attrs)
        elif tag in {"h2", "h3"}:
            self.headings.append((tag, attrs))
        elif tag == "li":
            self._item = [None, ""]
        elif tag == "a" and self._item is not None:
            self._item[0] = attrs["href"]

    def handle_data(self, data):
        if self._item is not None:
            self._item[1] += data

    def handle_endtag(self, tag):
        if tag == "li" and self._item is not None:
            self.items.append((self._item[0], self._item[1].strip()))
            self._item = None


def render(**context) -> SummaryParser:
    parser = SummaryParser()
    parser.feed(render_to_string("_error_summary.html", context))
    return parser


def test_nothing_is_shown_without_errors():
    assert render_to_string("_error_summary.html", {}).strip() == ""
    assert render_to_string("_error_summary.html", {"form": PartnerForm()}).strip() == ""
    valid = PartnerForm(data={"name": "Vale Homes"})
    assert render_to_string("_error_summary.html", {"form": valid}).strip() == ""
    assert render_to_string("_error_summary.html", {"forms": [valid]}).strip() == ""


def test_one_form_links_each_field_error_to_its_field_with_the_label_first():
    form = PartnerForm(data={"name": "", "email": "not an address"})
    summary = render(form=form)
    assert summary.items == [
        ("#id_name", "Organisation name: Enter a name."),
        ("#id_email", "Email address: Enter a valid email address."),
    ]


def test_the_forms_own_errors_are_listed_first_without_a_link():
    summary = render(form=PartnerForm(data={"name": "", "email": "ann@example.com"}))
    assert summary.items == [
        (None, "Nobody at example.com can be invited."),
        ("#id_name", "Organisation name: Enter a name."),
    ]


def test_the_box_keeps_the_id_and_role_the_focus_scripts_use():
    summary = render(form=PartnerForm(data={}))
    assert summary.boxes == [
        {
            "class": "error-summary",
            "id": "error-summary",
            "role": "alert",
            "aria-labelledby": "error-summary-title",
            "tabindex": "-1",
        }
    ]
    assert summary.headings == [("h2", {"id": "error-summary-title", "class": "h4"})]


def test_heading_level_can_be_lowered_under_a_section_heading():
    summary = render(form=PartnerForm(data={}), heading_level=3)
    assert summary.headings == [("h3", {"id": "error-summary-title", "class": "h4"})]


def test_several_forms_share_one_summary_and_forms_without_errors_are_skipped():
    first = PartnerForm(data={"view-name": ""}, prefix="view")
    valid = PartnerForm(data={"ok-name": "Vale Homes"}, prefix="ok")
    second = PartnerForm(data={"action-name": "", "action-email": "x"}, prefix="action")
    summary = render(forms=[first, valid, second])
    assert summary.items == [
        ("#id_view-name", "Organisation name: Enter a name."),
        ("#id_action-name", "Organisation name: Enter a name."),
        ("#id_action-email", "Email address: Enter a valid email address."),
    ]
    assert len(summary.boxes) == 1


def test_radio_and_checkbox_groups_link_to_their_first_option():
    form = ChoicesForm(data={"version": "3"})
    summary = render(form=form)
    assert summary.items == [
        ("#id_level_0", "Agreed level: Choose a level."),
        ("#id_topics_0", "Linked preconditions: Choose at least one precondition."),
    ]
    # The targets are the ids Django gives the first radio button and the first checkbox.
    rendered = str(form)
    assert 'type="radio" name="level" value="1" required aria-invalid="true" id="id_level_0"' in (
        rendered
    )
    assert 'type="checkbox" name="topics" value="A" aria-invalid="true" id="id_topics_0"' in (
        rendered
    )


def test_an_error_on_a_hidden_field_is_listed_without_a_link():
    summary = render(form=ChoicesForm(data={"level": "1", "topics": ["A"]}))
    assert summary.items == [(None, "Reload.")]


def test_labels_and_messages_are_escaped():
    form = PartnerForm(data={"name": ""})
    form.fields["name"].label = "Name <b>"
    form.errors["name"] = ["Use <i>letters</i>."]
    html = render_to_string("_error_summary.html", {"form": form})
    assert "Name &lt;b&gt;: Use &lt;i&gt;letters&lt;/i&gt;." in html


def test_a_forms_list_passed_in_wins_over_the_pages_form():
    page_form, listed = PartnerForm(data={}, prefix="page"), PartnerForm(data={}, prefix="listed")
    summary = render(form=page_form, forms=[listed])
    assert summary.items == [("#id_listed-name", "Organisation name: Enter a name.")]
    # An empty list means "no errors here", not "look at the page's form instead".
    assert render_to_string("_error_summary.html", {"form": page_form, "forms": []}).strip() == ""
