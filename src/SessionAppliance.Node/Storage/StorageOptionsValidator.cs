using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Storage;

/// <summary>Source-generated validation of <see cref="StorageOptions"/>' data annotations (trim-safe).</summary>
[OptionsValidator]
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
