@echo off
rem kpixl offline installer, written by "kpixl bundle". It creates a Python virtual environment
rem for the person running it, in @ENVIRONMENT@, and installs kpixl there from the
rem wheels folder beside this file. No admin rights, no network, nothing outside that folder.
rem   install.cmd           install (or upgrade: the environment is rebuilt from this bundle)
rem   install.cmd /quiet    the same without "Press any key" at the end (for scripts)
setlocal EnableExtensions
set "HERE=%~dp0"
set "ENVIRONMENT=@ENVIRONMENT@"
rem Ignore any pip.ini: every wheel needed is in the bundle.
set "PIP_CONFIG_FILE=nul"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PYTHON="
set "TAG="
set "CODE=0"

rem The newest 64-bit Python the bundle has wheels for: the py launcher, then python on PATH.
for %%V in (@PYTHONS@) do if not defined PYTHON call :try %%V "py -%%V-64"
for %%V in (@PYTHONS@) do if not defined PYTHON call :try %%V python
if not defined PYTHON goto :no_python

echo Installing kpixl for %USERNAME% with %PYTHON% into %ENVIRONMENT%
if exist "%ENVIRONMENT%\" (
    echo Removing the previous kpixl environment first.
    rmdir /s /q "%ENVIRONMENT%"
)
if exist "%ENVIRONMENT%\" goto :in_use
%PYTHON% -m venv "%ENVIRONMENT%" || goto :failed
"%ENVIRONMENT%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%wheels\%TAG%" --no-warn-script-location kpixl || goto :failed
"%ENVIRONMENT%\Scripts\python.exe" -m kpixl.cli --version || goto :failed
if not exist "%ENVIRONMENT%\Scripts\pythonw.exe" goto :failed
echo.
echo kpixl is installed. Workbooks made from workbook_template.xlsm find it by themselves:
echo their xlwings.conf sheet says %%LOCALAPPDATA%%\kpixl\venv\Scripts\pythonw.exe.
goto :end

:try
rem %1 is a Python version such as 3.12, %2 the command to try. Keep it if it runs that
rem version, 64-bit, and the bundle has wheels for it.
%~2 -c "import sys; sys.exit(not (sys.version.startswith('%~1.') and sys.maxsize > 2**32))" >nul 2>&1 || exit /b 0
set "VERSION=%~1"
if not exist "%HERE%wheels\cp%VERSION:.=%\" exit /b 0
set "PYTHON=%~2"
set "TAG=cp%VERSION:.=%"
exit /b 0

:no_python
echo kpixl needs 64-bit Python @PYTHONS_TEXT@ and none was found. Install it from python.org
echo for this user only (untick "for all users": no admin rights needed), then run
echo install.cmd again. Nothing was changed.
set "CODE=1"
goto :end

:in_use
echo %ENVIRONMENT% is in use. Close Excel and any window using kpixl, then run install.cmd
echo again.
set "CODE=1"
goto :end

:failed
echo The installation did not finish (the message above says why). Run install.cmd again:
echo it starts afresh. If it fails again, send the messages above to IT.
set "CODE=1"
goto :end

:end
if /i not "%~1"=="/quiet" pause
exit /b %CODE%
