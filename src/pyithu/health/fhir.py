"""A case as FHIR resources (fhir.resources' R4B models: the R4 structures these resources
share). The Patient carries a pseudonym only: no name, contact, township or birth date."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle

from pyithu.core import sealing
from pyithu.health.models import CaseStatus, Consultation, Outcome, Sex
from pyithu.health.signing import verify_text

SYSTEM = "https://pyithu.example/fhir"
ENCOUNTER_STATUS = {
    CaseStatus.WAITING: "arrived",
    CaseStatus.OPEN: "in-progress",
    CaseStatus.CLOSED: "finished",
}
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "unknown"}


def patient_pseudonym(case: Consultation) -> str:
    return "p-" + sealing.digest("fhir-patient", str(case.pk))[:16]


def case_resources(case: Consultation) -> list[dict[str, Any]]:
    patient_id = patient_pseudonym(case)
    patient_ref = {"reference": f"Patient/{patient_id}"}
    encounter_ref = {"reference": f"Encounter/{case.pk}"}
    resources: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": patient_id,
            "identifier": [{"system": f"{SYSTEM}/pseudonym", "value": patient_id}],
            "gender": GENDER.get(case.sex, "unknown"),
        },
        {
            "resourceType": "Encounter",
            "id": str(case.pk),
            "status": ENCOUNTER_STATUS[case.status],
            "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": "VR",
                "display": "virtual",
            },
            "subject": patient_ref,
            "serviceType": {"coding": [{"system": f"{SYSTEM}/clinic", "code": case.clinic.slug}]},
            "period": {
                "start": case.created_at.isoformat(),
                **({"end": case.closed_at.isoformat()} if case.closed_at else {}),
            },
        },
    ]
    for outcome in case.outcomes.filter(kind=Outcome.Kind.REFERRAL).select_related("referred_to"):
        resources.append(
            {
                "resourceType": "ServiceRequest",
                "id": str(outcome.pk),
                "status": "completed" if case.status == CaseStatus.CLOSED else "active",
                "intent": "order",
                "subject": patient_ref,
                "encounter": encounter_ref,
                "authoredOn": outcome.created_at.isoformat(),
                "performerType": {
                    "coding": [{"system": f"{SYSTEM}/clinic", "code": outcome.referred_to.slug}]
                },
            }
        )
    for rx in case.prescriptions.all():
        payload = verify_text(rx.signed_text)
        for n, item in enumerate(payload["items"]):
            resources.append(
                {
                    "resourceType": "MedicationRequest",
                    "id": f"{rx.pk}-{n}",
                    "status": "completed" if rx.dispensed_at else "active",
                    "intent": "order",
                    "subject": patient_ref,
                    "encounter": encounter_ref,
                    "authoredOn": payload["issued"],
                    "medicationCodeableConcept": {"text": item["medicine"]},
                    "dosageInstruction": [{"text": item["dose"]}],
                    "dispenseRequest": {
                        "validityPeriod": {
                            "start": payload["issued"],
                            "end": payload["valid_until"],
                        }
                    },
                    "note": [{"text": f"quantity: {item['quantity']}"}],
                }
            )
    return resources


def case_bundle(case: Consultation) -> Bundle:
    entries = [
        {"fullUrl": f"{SYSTEM}/{r['resourceType']}/{r['id']}", "resource": r}
        for r in case_resources(case)
    ]
    return Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
