"""Partner agreements: templates with merge fields, immutable versions, signatures with evidence, and the gate
that keeps a partner's people on the agreement page until an authorised signer has signed.
"""
