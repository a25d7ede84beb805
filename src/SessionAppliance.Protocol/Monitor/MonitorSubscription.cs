using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Protocol.Monitor;

/// <summary>One accepted subscription: the account, its namespaces in ascending order, and whether pushes carry the data.</summary>
public sealed record MonitorSubscription(AccountId Account, short[] Namespaces, bool WantData);
