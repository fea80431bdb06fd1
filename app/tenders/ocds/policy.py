"""The publication policy the OCDS packages link to (unless DPC_OCDS_POLICY_URL names another)."""

POLICY = """\
Open contracting data: publication policy
=========================================

What is published. Every collective tender a Direct Payments co-operative publishes, from
its publication onwards, in the Open Contracting Data Standard (OCDS) 1.1. A release is
written when something happens, with its own id and date, and is never changed afterwards;
a correction is a new release. The releases are: the tender as published (tender); each
answered clarification, and an award the members voted down (tenderAmendment); the close of
bidding at the deadline, naming the bidders (tenderUpdate); the cancellation and its reason
(tenderCancellation); the award (award); the contract (contract); the contract's payments
(implementation); each variation of the contract (contractAmendment); its end
(contractTermination). There is no planning release: a draft is not published.

What is never published. The rate of any bid but the awarded one; who asked a
clarification; anything about a person. The number of people whose demand a tender gathers
is given only as "about N" for 8 or more (rounded to the nearest 5), else "fewer than 8".
A contract's payments are published as one total per calendar quarter, once the quarter is
over, and only when they were for 8 or more holders: a smaller or running total could tell
one person's care.

Where. GET /api/v1/ocds/releases (every release in publication order; since= a release
date, inclusive; follow links.next), GET /api/v1/ocds/records/{ocid} (a process's releases
and its compiled release), GET /api/v1/tenders/{id}/ocds (one tender's releases). Amounts
are in pounds. Ocids are the configured prefix followed by the tender's id.

Licence. As each package's `license` says: the Open Government Licence v3.0 unless the
publisher states otherwise.

---

Data contractio agored: polisi cyhoeddi
=======================================

Beth a gyhoeddir. Pob tendr ar y cyd a gyhoeddir gan gwmni cydweithredol Taliadau
Uniongyrchol, o'i gyhoeddi ymlaen, yn Safon Data Contractio Agored (OCDS) 1.1. Ysgrifennir
datganiad pan fydd rhywbeth yn digwydd, gyda'i ddynodwr a'i ddyddiad ei hun, ac ni chaiff ei
newid wedyn; datganiad newydd yw cywiriad. Y datganiadau yw: y tendr fel y'i cyhoeddwyd; pob
eglurhad a atebwyd, a dyfarniad a wrthodwyd gan bleidlais yr aelodau; cau'r cynigion ar y
dyddiad cau, gan enwi'r cynigwyr; y canslo a'i reswm; y dyfarniad; y contract; taliadau'r
contract; pob amrywiad ar y contract; ei ddiwedd. Nid oes datganiad cynllunio: ni chyhoeddir
drafft.

Beth na chyhoeddir byth. Cyfradd unrhyw gynnig ond yr un a ddyfarnwyd; pwy ofynnodd gwestiwn
eglurhad; dim byd am unigolyn. Rhoddir nifer y bobl y mae tendr yn casglu eu galw fel "tua N"
ar gyfer 8 neu fwy (wedi'i dalgrynnu i'r 5 agosaf), neu fel "llai nag 8". Cyhoeddir taliadau
contract fel un cyfanswm am bob chwarter calendr, pan fo'r chwarter drosodd, a dim ond pan
oeddent ar gyfer 8 o ddeiliaid neu fwy: gallai cyfanswm llai neu un sy'n dal i redeg ddatgelu
gofal un person.

Ble. GET /api/v1/ocds/releases (pob datganiad yn nhrefn ei gyhoeddi; since= dyddiad
datganiad, yn gynwysedig; dilynwch links.next), GET /api/v1/ocds/records/{ocid} (datganiadau
proses a'i datganiad cyfunol), GET /api/v1/tenders/{id}/ocds (datganiadau un tendr). Mae'r
symiau mewn punnoedd.

Trwydded. Fel y dywed `license` pob pecyn: y Drwydded Llywodraeth Agored v3.0 oni bai bod y
cyhoeddwr yn datgan fel arall.
"""
