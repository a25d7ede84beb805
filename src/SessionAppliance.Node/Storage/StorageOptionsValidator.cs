using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Storage;

/// <summary>Checks <see cref="StorageOptions"/> at start; each message names the key and how to fix it.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(['/', '\\']) >= 0)
        {
            failures.Add($"Storage:FileName '{options.FileName}' must be a plain file name such as messages.db");
        }

        if (options.CapacityBytes != 0 && options.CapacityBytes < 1 << 20)
        {
            failures.Add($"Storage:CapacityBytes {options.CapacityBytes} is below 1048576 (1 MiB); use 0 for the default (3.5 GiB or half the free space, whichever is smaller)");
        }

        if (options.MaxMessages < 0)
        {
            failures.Add($"Storage:MaxMessages {options.MaxMessages} must be positive; use 0 for the default (as many as half the memory limit holds)");
        }

        if (!(options.CardEnduranceTbw > 0 && options.CardEnduranceTbw < 100_000))
        {
            failures.Add($"Storage:CardEnduranceTbw {options.CardEnduranceTbw} must be a positive number of terabytes written, e.g. 10 for a common 32 GB card");
        }

        if (options.CommitsPerSecond is < 0 or > 10_000 || double.IsNaN(options.CommitsPerSecond))
        {
            failures.Add($"Storage:CommitsPerSecond {options.CommitsPerSecond} must be from 0 (no budget) to 10000 (default 40)");
        }

        if (options.JournalBytes != 0 && (options.JournalBytes is < 64 * 1024 or > 256L << 20 || options.JournalBytes % StoreJournal.PageBytes != 0))
        {
            failures.Add($"Storage:JournalBytes {options.JournalBytes} must be 0 (no journal) or a multiple of 4096 from 65536 (64 KiB) to 268435456 (256 MiB); default 1048576");
        }

        if (options.MaxBatchOperations is < 1 or > 100_000)
        {
            failures.Add($"Storage:MaxBatchOperations {options.MaxBatchOperations} must be from 1 to 100000");
        }

        if (options.MaxQueuedOperations is < 1 or > 1_000_000)
        {
            failures.Add($"Storage:MaxQueuedOperations {options.MaxQueuedOperations} must be from 1 to 1000000");
        }

        if (options.ReadCacheBytes is < 0 or > 1L << 34)
        {
            failures.Add($"Storage:ReadCacheBytes {options.ReadCacheBytes} must be from 0 (no cache) to 17179869184 (16 GiB); leave it unset for the default (an eighth of the runtime's memory limit, at most 256 MiB)");
        }

        if (options.ExpirySweepInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Storage:ExpirySweepInterval {options.ExpirySweepInterval} must be at least 00:00:01 (default 00:00:10)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
