// Package trace follows the money: from a government body, fund, policy or program to
// the firms its resources reached, through which chains, with the amounts attributed;
// the shortest chains between any two entities; and one list of resource flows over
// every channel (Flows).
//
// # The graph
//
// Relations are edges directed the way money or authority moves (Edge): investor →
// investee, grantor → recipient, lender → borrower, buyer → supplier, market → listed
// firm (the five channels of cipmap.FlowChannels), owner → asset (Ownership: a
// shareholder, or a limited partner of a fund with its share), program → designated
// firm, program → grant recipient, policy → program. A Source gives the edges of a set
// of nodes on demand: StoreSource with two scans of the statement table a call, so a
// trace reads only the levels it walks; Graph holds edges in memory.
//
// # Look-through of guidance funds
//
// FROM's share of a fund is the sum over the chains of holdings FROM → F1 → ... → F
// (holdings whose asset is a Fund) of the product of the shares along the chain:
//
//	share(FROM, F) = Σ_chains Π_k share(F_{k-1}, F_k)
//
// A chain never visits a node twice, so the sum is finite on any graph; funds of
// funds are rarely cyclic. Each flow out of a fund F is attributed to FROM as
// amount_cny × share(FROM, F), chain by chain (Reach), and summed by firm
// (FirmTotal). A flow straight from FROM has share 1. Holdings of firms by a
// government body are not money and are not followed from FROM; stakes held through
// state-owned firms are not attributed to their owners (as the generator's truth, and
// as fund registries report limited partners). A range share (30..50) counts as its
// midpoint.
//
// Amounts become yuan with cipmap.Rates at the average rate of the flow's year, and
// at constant prices of a base year when asked; an amount without currency is taken
// as yuan; one that cannot be converted is counted, never guessed.
//
// # Subsidiaries
//
// Below each firm reached, holdings of firms (not funds) are followed for
// Options.Subsidiaries levels, and each subsidiary gets the reached firm's effective
// share, the same sum of products over chains. It is a bounded walk, not the solved
// look-through of the ownership package: cross-holding cycles are cut where a chain
// would revisit a firm, so in a cycle the share is a lower bound.
//
// # Paths
//
// Paths searches breadth first from both ends at once over every relation
// (AllRoles), ignoring direction, one level at a time from the smaller side, and
// returns the chains of the first length at which the two searches meet.
package trace
