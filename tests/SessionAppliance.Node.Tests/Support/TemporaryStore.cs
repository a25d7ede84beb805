using SessionAppliance.Node.Storage;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>A test class's store file in a temporary directory of its own; the store is closed and the directory removed after each test.</summary>
public abstract class TemporaryStore(string prefix) : IAsyncLifetime
{
    protected string StorePath { get; } = Path.Combine(Directory.CreateTempSubdirectory(prefix).FullName, "messages.db");

    /// <summary>The open store, if the test opened one.</summary>
    protected LiteDbMessageStore Store { get; set; } = null!;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        Directory.Delete(Path.GetDirectoryName(StorePath)!, recursive: true);
    }
}
