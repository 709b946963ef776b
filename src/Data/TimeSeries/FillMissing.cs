namespace Research.Data.TimeSeries;

/// <summary>What reading a series does with missing steps (gaps in the time column) and empty cells.</summary>
public enum FillMissing
{
    /// <summary>The default: a gap is an error that lists the missing steps, an empty cell an error naming its line and column.</summary>
    Error,

    /// <summary>Insert the missing steps and carry the last value forward (pandas ffill); empty cells too.</summary>
    Forward,

    /// <summary>Insert the missing steps and interpolate linearly between the values either side; empty cells too.</summary>
    Linear,

    /// <summary>Read the rows as they are: a gap is not filled, and windows read the rows either side as consecutive steps.</summary>
    None,
}
