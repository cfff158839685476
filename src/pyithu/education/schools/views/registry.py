"""The public registry of schools and universities (no account, no JavaScript)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pyithu.core.pages import citizen_page
from pyithu.education.models import School
from pyithu.education.schools import registry
from pyithu.education.schools.forms.registry import RegistryFilterForm


def _example_school() -> dict[str, str]:
    school = registry.public_schools().first()
    if school is None:
        school, _created = School.objects.get_or_create(
            slug="example-online-school",
            defaults={"name_en": "Example Online School", "status": School.Status.RECOGNISED},
        )
    return {"slug": school.slug}


@citizen_page
def schools(request: HttpRequest) -> HttpResponse:
    everything = registry.listing(registry.RegistryFilter())
    form = RegistryFilterForm(
        request.GET or None, languages=everything.languages, townships=everything.townships
    )
    status = 200
    shown = everything
    if form.is_bound:
        if form.is_valid():
            shown = registry.listing(registry.RegistryFilter(**form.cleaned_data))
        else:
            status = 400
    context = {"form": form, "schools": shown.schools, "filtered": form.is_bound}
    return render(request, "education/registry/list.html", context, status=status)


@citizen_page(example=_example_school)
def school(request: HttpRequest, slug: str) -> HttpResponse:
    found = registry.public_school(slug)
    if found is None:
        raise Http404
    context = {
        "school": found,
        "townships": sorted(found.townships.all(), key=lambda t: t.display_name()),
        "programmes": registry.programmes_of(found),
    }
    return render(request, "education/registry/detail.html", context)
