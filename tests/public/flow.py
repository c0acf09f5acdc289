"""Walk a complaint through CLEAR with the services, as staff would."""

from complaints import services

STEPS = [
    ("listen", {}),
    (
        "establish",
        {"what_happened": "Parcel broken", "when_happened": "Monday", "desired_outcome": "A new one"},
    ),
    (
        "apologize",
        {"restatement": "The parcel came broken and you want a new one.", "customer_confirmed": True},
    ),
    ("resolve", {"apology": "I am sorry this caused you trouble."}),
    (
        "close",
        {
            "resolution": "full",
            "remedy": "We sent a replacement by courier.",
            "preventive_action": "Fragile goods now ship in double boxes.",
            "root_cause": "process_gap",
            "responsible_department": "logistics",
        },
    ),
]


def close_complaint(complaint, by, **close_overrides):
    for name, data in STEPS:
        if name == "close":
            data = {**data, **close_overrides}
        complaint, _warnings = services.complaint_transition(complaint=complaint, name=name, data=data, by=by)
    return complaint
