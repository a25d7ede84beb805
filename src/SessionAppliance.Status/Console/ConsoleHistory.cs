using System.IO.Compression;

namespace SessionAppliance.Status.Console;

/// <summary>
/// The console's memory of the node: the last 24 h at one point per sample interval, and 90 days at one point
/// per local day (the day's last sample). Held in memory; <see cref="Save"/> writes it whole, delta-encoded and
/// compressed, so an hourly save costs the card a few kilobytes.
/// </summary>
public sealed class ConsoleHistory
{
    public const int RecentCapacity = 24 * 60;
    public const int DailyCapacity = 90;
    private const byte FormatVersion = 1;

    private readonly Lock _lock = new();
    private readonly Queue<HistoryPoint> _recent = new();
    private readonly List<(DateOnly Day, HistoryPoint Point)> _daily = new(DailyCapacity + 1);

    public void Add(HistoryPoint point, DateOnly localDay)
    {
        lock (_lock)
        {
            _recent.Enqueue(point);
            while (_recent.Count > RecentCapacity)
            {
                _recent.Dequeue();
            }

            if (_daily.Count > 0 && _daily[^1].Day == localDay)
            {
                _daily[^1] = (localDay, point);
            }
            else
            {
                _daily.Add((localDay, point));
                if (_daily.Count > DailyCapacity)
                {
                    _daily.RemoveAt(0);
                }
            }
        }
    }

    public IReadOnlyList<HistoryPoint> Recent()
    {
        lock (_lock)
        {
            return [.. _recent];
        }
    }

    public IReadOnlyList<(DateOnly Day, HistoryPoint Point)> Daily()
    {
        lock (_lock)
        {
            return [.. _daily];
        }
    }

    /// <summary>Writes the history; returns the bytes the file takes.</summary>
    public long Save(Stream output)
    {
        var (recent, daily) = (Recent(), Daily());
        using var counted = new CountingStream(output);
        using (var zip = new DeflateStream(counted, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var writer = new BinaryWriter(zip))
        {
            writer.Write(FormatVersion);
            WritePoints(writer, recent);
            writer.Write7BitEncodedInt(daily.Count);
            foreach (var (day, _) in daily)
            {
                writer.Write7BitEncodedInt(day.DayNumber);
            }

            WritePoints(writer, [.. daily.Select(d => d.Point)]);
        }

        return counted.Written;
    }

    /// <summary>Reads a saved history; a damaged or foreign file gives an empty history, never a crash.</summary>
    public static ConsoleHistory Load(Stream input)
    {
        var history = new ConsoleHistory();
        try
        {
            using var zip = new DeflateStream(input, CompressionMode.Decompress);
            using var reader = new BinaryReader(zip);
            if (reader.ReadByte() != FormatVersion)
            {
                return history;
            }

            var recent = ReadPoints(reader, RecentCapacity);
            var dayCount = reader.Read7BitEncodedInt();
            if (dayCount is < 0 or > DailyCapacity)
            {
                return history;
            }

            var days = Enumerable.Range(0, dayCount).Select(_ => DateOnly.FromDayNumber(reader.Read7BitEncodedInt())).ToList();
            var dailyPoints = ReadPoints(reader, DailyCapacity);
            if (dailyPoints.Count != dayCount)
            {
                return history;
            }

            recent.ForEach(history._recent.Enqueue);
            for (var i = 0; i < dayCount; i++)
            {
                history._daily.Add((days[i], dailyPoints[i]));
            }
        }
        catch (Exception error) when (error is IOException or InvalidDataException or EndOfStreamException or FormatException or ArgumentOutOfRangeException)
        {
            return new ConsoleHistory();
        }

        return history;
    }

    // Each field as the difference from the previous point, zigzag-encoded: totals grow slowly, so most are one or two bytes.
    private static void WritePoints(BinaryWriter writer, IReadOnlyList<HistoryPoint> points)
    {
        writer.Write7BitEncodedInt(points.Count);
        var previous = new long[HistoryPoint.FieldCount];
        foreach (var point in points)
        {
            for (var f = 0; f < HistoryPoint.FieldCount; f++)
            {
                var delta = point[f] - previous[f];
                writer.Write7BitEncodedInt64((delta << 1) ^ (delta >> 63));
                previous[f] = point[f];
            }
        }
    }

    private static List<HistoryPoint> ReadPoints(BinaryReader reader, int capacity)
    {
        var count = reader.Read7BitEncodedInt();
        if (count < 0 || count > capacity)
        {
            throw new InvalidDataException("history point count out of range");
        }

        var points = new List<HistoryPoint>(count);
        var fields = new long[HistoryPoint.FieldCount];
        for (var i = 0; i < count; i++)
        {
            for (var f = 0; f < HistoryPoint.FieldCount; f++)
            {
                var zigzag = reader.Read7BitEncodedInt64();
                fields[f] += (long)((ulong)zigzag >> 1) ^ -(zigzag & 1);
            }

            points.Add(HistoryPoint.FromFields(fields));
        }

        return points;
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
