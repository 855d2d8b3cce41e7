from partnerships.models.agreements import Agreement, AgreementParty, MobilityTerm
from partnerships.models.institutions import Destination, Institution
from partnerships.models.networks import FundingPeriod, Network, NetworkMembership, NetworkObjective
from partnerships.models.programmes import Programme
from partnerships.models.seed import SeedRecord

__all__ = [
    "Agreement",
    "AgreementParty",
    "Destination",
    "FundingPeriod",
    "Institution",
    "MobilityTerm",
    "Network",
    "NetworkMembership",
    "NetworkObjective",
    "Programme",
    "SeedRecord",
]
