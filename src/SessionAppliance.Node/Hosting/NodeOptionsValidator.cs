using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Hosting;

/// <summary>Source-generated validation of <see cref="NodeOptions"/>' data annotations (trim-safe).</summary>
[OptionsValidator]
public sealed partial class NodeOptionsValidator : IValidateOptions<NodeOptions>;
